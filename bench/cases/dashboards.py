"""Case 6: the read_group behind each dashboard, time to first answer.

The web client's pivot asks one read_group per combination of its row and
column groupings (none, rows, columns, both) before it draws anything;
the graph asks one with both groupings. A pivot's time to first answer is
therefore the sum of its four calls; each is timed here as the web client
sends it (lazy=False for the graph), as the superuser (record rules of
one company would add one condition on company_id). The environment cache
is cleared before every call; PostgreSQL's cache is warm, as on a server
in use.
"""
from . import base

DASHBOARDS = [
    # (dashboard, label, model, measures, row groupby, column groupby)
    ('credit exposure', 'pivot salesperson x bucket',
     'meddev.credit.exposure.report', ['amount'], 'user_id', 'bucket'),
    ('credit exposure', 'graph rating x aging',
     'meddev.credit.exposure.report', ['amount'], 'rating', 'aging'),
    ('service SLA', 'graph month x SLA status', 'meddev.service.ticket',
     [], 'date_open:month', 'sla_status'),
    ('service SLA', 'tickets by SLA status x team', 'meddev.service.ticket',
     [], 'sla_status', 'team_id'),
    ('service SLA', 'pivot SLA met % team x target',
     'meddev.service.ticket.sla', ['met_pct'], 'team_id', 'target'),
    ('complaints', 'by state x month', 'meddev.complaint', [],
     'state', 'received_date:month'),
    ('complaints', 'pivot product x month (handling days)',
     'meddev.complaint', ['handling_days'], 'product_id',
     'received_date:month'),
    # Quality's reporting dashboards (issue 9 Q5): the regulatory reports'
    # pivot and the complaint rate per thousand delivered (an SQL view).
    ('complaints', 'regulatory reports jurisdiction x state',
     'meddev.regulatory.report', [], 'country_id', 'state'),
    ('complaints', 'complaint rate product x month',
     'meddev.complaint.rate', ['complaint_count', 'delivered_qty', 'rate'],
     'product_id', 'month:month'),
]


def pivot_calls(model, measures, row, col):
    """Return a function making the web client's calls for one view."""
    def call():
        groups = 0
        for groupby in ([], [row], [col], [row, col]):
            result = model.read_group([], measures + [
                g.split(':')[0] for g in groupby], groupby, lazy=False)
            groups = len(result)
        return groups
    return call


def run(dbs, size, reps, stats):
    db = dbs['suite']
    samples = {}
    info = {}
    for _rep in range(1 + reps):
        for dashboard, label, model_name, measures, row, col in DASHBOARDS:
            env = db.env()
            env.clear()
            model = env[model_name]
            seconds, queries, groups = base.timed(
                db.cr, pivot_calls(model, measures, row, col))
            key = (dashboard, label)
            samples.setdefault(key, ([], []))
            if _rep:
                samples[key][0].append(seconds * 1000.0)
                samples[key][1].append(queries)
            info[key] = (groups, model.search_count([]))
    rows = []
    for dashboard, label, _m, _me, _r, _c in DASHBOARDS:
        key = (dashboard, label)
        rows.append({'dashboard': dashboard, 'label': label,
                     'groups': info[key][0], 'records': info[key][1],
                     'ms': stats(samples[key][0]),
                     'queries': stats(samples[key][1])})
    db.reset()
    return {'rows': rows}
