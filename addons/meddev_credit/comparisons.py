"""Comparison tables of the credit searches, free of the ORM: the operators
a numeric credit field (limit, usage) is compared with, and their
complements."""

OPERATORS = {
    '>': lambda a, b: a > b, '>=': lambda a, b: a >= b,
    '<': lambda a, b: a < b, '<=': lambda a, b: a <= b,
}
# The numeric comparisons the limit usage search accepts.
USAGE_OPERATORS = tuple(sorted(OPERATORS))
# The comparison that holds exactly when the key's does not.
COMPLEMENTS = {'>': '<=', '>=': '<', '<': '>=', '<=': '>'}
