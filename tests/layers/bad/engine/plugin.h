/* plugin: loads the built-in, implements the API. */
#ifndef FIXTURE_PLUGIN_H
#define FIXTURE_PLUGIN_H

int plugin_load(void);

#endif
