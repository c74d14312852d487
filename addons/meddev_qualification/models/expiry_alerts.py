"""Alert thresholds already alerted, kept as a comma-separated list on the
record (licence, product certificate) so that each alerts once."""


def parse_days(text):
    """Return the ints of a comma-separated list, ignoring junk."""
    return [int(part) for part in (text or '').split(',')
            if part.strip().isdigit()]
