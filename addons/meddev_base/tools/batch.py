"""Batches for crons: a scheduled action commits after each batch so that a
crash keeps the batches done and the next run resumes; tests, demo data
and module installation never commit (they run in one transaction that
must stay whole)."""

import threading


def may_commit(env):
    """Whether a commit is safe here: not under a test runner (Odoo's or
    pytest-odoo), not while the registry loads (install, update, demo
    ``<function>``)."""
    if getattr(threading.currentThread(), 'testing', False):
        return False
    registry = env.registry
    return bool(registry.ready) and not registry.in_test_mode()


def commit_batch(env, commit):
    """Commit the transaction of ``env`` when ``commit`` is true (the
    scheduled action passes it) and a commit is safe; return whether it
    committed."""
    if commit and may_commit(env):
        env.cr.commit()  # pylint: disable=invalid-commit
        return True
    return False


def slice_batches(records, batch_size, commit=False):
    """Yield ``records`` in slices of ``batch_size``, committing after each
    slice has been processed (see ``commit_batch``)."""
    for start in range(0, len(records), batch_size):
        yield records[start:start + batch_size]
        commit_batch(records.env, commit)


def search_batches(model, domain, batch_size, commit=False, order='id'):
    """Yield batches of the records of ``model`` matching ``domain`` until
    none is left, committing after each (see ``commit_batch``).

    The caller must take each batch out of ``domain`` (the cron changes
    what the domain selects); a batch returned twice would loop forever,
    so it raises a RuntimeError naming the model instead."""
    seen = set()
    while True:
        batch = model.search(domain, limit=batch_size, order=order)
        if not batch:
            return
        if seen.intersection(batch.ids):
            raise RuntimeError(
                '%s: the batch loop selected records it had already '
                'processed (ids %s): the cron does not take them out of its '
                'domain.' % (model._name, sorted(seen.intersection(
                    batch.ids))[:10]))
        seen.update(batch.ids)
        yield batch
        commit_batch(model.env, commit)
