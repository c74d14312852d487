"""What template text a user who is not a Settings administrator may have
rendered: field paths only.

Jinja's sandbox lets through too much for text an RPC caller chooses
(filters that call ``getattr`` themselves, ``str.format`` reaching
``__globals__``, methods of records of the superuser's environment).
Text that is not a saved template (those are written by administrators)
may only show values: ``${object.partner_id.name}``, ``${ctx['lang']}``,
``% if`` / ``% for`` over them, constants, comparisons and a few
formatting filters. No call, no assignment, no macro, no ``|attr``; and
nothing that makes a short text cost hours or gigabytes (loops over
literals, loops nested deeper than two, ``|replace``, long texts)."""
from jinja2 import nodes

# Nodes that only read or compare values.
ALLOWED_NODES = (
    nodes.Template, nodes.Output, nodes.TemplateData, nodes.Name,
    nodes.Getattr, nodes.Getitem, nodes.Const, nodes.If, nodes.For,
    nodes.CondExpr, nodes.Compare, nodes.Operand, nodes.Not, nodes.And,
    nodes.Or, nodes.Concat, nodes.List, nodes.Tuple, nodes.Filter,
    nodes.Test)
# Filters that format a value without reaching into it.
ALLOWED_FILTERS = frozenset((
    'e', 'escape', 'safe', 'default', 'd', 'lower', 'upper', 'title',
    'capitalize', 'trim', 'string', 'length', 'count', 'first', 'last',
    'truncate', 'round', 'int', 'float', 'abs', 'join'))
# Loops inside loops: two levels walk an order's lines and their lots.
MAX_LOOP_DEPTH = 2
# A message body typed in the composer fits easily.
MAX_LENGTH = 20000
ALLOWED_TESTS = frozenset((
    'defined', 'undefined', 'none', 'number', 'string', 'equalto', 'eq',
    'ne', 'lt', 'le', 'gt', 'ge', 'in', 'odd', 'even'))


def refused_construct(environment, text):
    """Return a short description of the first construct of ``text`` (a
    template for ``environment``) outside the field-path subset, or None
    when the whole text is inside it. Text that does not parse is
    refused too (Odoo would render it as nothing)."""
    if len(text) > MAX_LENGTH:
        return 'text longer than %d characters' % MAX_LENGTH
    try:
        tree = environment.parse(text)
    except Exception:  # noqa: B902 - any parse error: not a value path
        return 'unreadable template text'
    stack = [(tree, 0)]
    while stack:
        node, loops = stack.pop()
        if isinstance(node, nodes.For):
            loops += 1
            if loops > MAX_LOOP_DEPTH:
                return 'loops nested deeper than %d' % MAX_LOOP_DEPTH
            if not isinstance(node.iter, (nodes.Getattr, nodes.Name)):
                return 'loop over %s' % type(node.iter).__name__.lower()
        if not isinstance(node, ALLOWED_NODES):
            return type(node).__name__.lower()
        if isinstance(node, nodes.Getattr) and (
                node.attr.startswith('_') or node.attr in (
                    'format', 'format_map')):
            return node.attr
        if isinstance(node, nodes.Getitem) and not (
                isinstance(node.arg, nodes.Const)
                and isinstance(node.arg.value, (str, int))
                and not str(node.arg.value).startswith('_')):
            return '[...]'
        if isinstance(node, nodes.Filter) and (
                node.name not in ALLOWED_FILTERS or node.kwargs
                or node.dyn_args or node.dyn_kwargs):
            return '|' + node.name
        if isinstance(node, nodes.Test) and node.name not in ALLOWED_TESTS:
            return 'is ' + node.name
        stack.extend((child, loops) for child in node.iter_child_nodes())
    return None
