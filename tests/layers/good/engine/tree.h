/* tree: a core helper. */
#ifndef FIXTURE_TREE_H
#define FIXTURE_TREE_H

int tree_size(void);

#endif
