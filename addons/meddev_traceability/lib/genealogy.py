"""Graph helpers for the lot genealogy, without ORM: usable from models,
scripts and plain tests.

The genealogy is a directed graph of lot ids: an edge (a, b) means the
walk goes from lot a to lot b (b is a component of a going backward, a
parent of a going forward).
"""

__all__ = ['find_cycle']


def find_cycle(edges, starts):
    """Return a cycle reachable from ``starts`` in the graph ``edges``
    (an iterable of (from, to) pairs) as the list of its nodes, the first
    repeated at the end, or None when the walk from ``starts`` is acyclic.

    Iterative depth-first search: a genealogy may be deep, Python's stack
    is not.
    """
    following = {}
    for origin, target in edges:
        following.setdefault(origin, []).append(target)
    done = set()
    for start in starts:
        if start in done:
            continue
        # path holds the nodes of the current branch, on_path the same as a
        # set; stack the iterator over each path node's successors.
        path = [start]
        on_path = {start: 0}
        stack = [iter(following.get(start, ()))]
        while stack:
            target = next(stack[-1], None)
            if target is None:
                stack.pop()
                node = path.pop()
                del on_path[node]
                done.add(node)
                continue
            if target in on_path:
                return path[on_path[target]:] + [target]
            if target in done:
                continue
            on_path[target] = len(path)
            path.append(target)
            stack.append(iter(following.get(target, ())))
    return None
