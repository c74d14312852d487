"""Per-batch commit of the module's crons."""


def commit_batch(env, commit):
    """Commit the batch just done when the caller asked for it: only the
    ``ir.cron`` calls pass ``commit=True`` (a crash then resumes where it
    stopped); the demo, the tests and any code calling a cron method
    inside a larger transaction leave the commit to that transaction."""
    if commit:
        env.cr.commit()  # pylint: disable=invalid-commit
