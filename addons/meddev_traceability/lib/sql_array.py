"""Large integer arrays as SQL parameters, without ORM.

psycopg2 sends a Python list as ARRAY[1, 2, ...]: one constant per
element, which the server parses and folds one by one. For the 100 000
lot ids of a large recall that costs about 0.2 s per statement (client
adaptation, parsing, planning); the same ids as one '{1,2,...}' text
literal, cast to int[] in the statement, cost a fraction of it.
"""

__all__ = ['int_array_literal']


def int_array_literal(ids):
    """Return ``ids`` (integers) as the text of a PostgreSQL array
    ('{1,2,3}'), to be cast in the statement: ``%s::int[]``."""
    # map, not a generator: 100 000 ids in 20 ms rather than 100.
    return '{%s}' % ','.join(map(str, map(int, ids)))
