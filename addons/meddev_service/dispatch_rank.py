"""Ranking of engineers for a service visit, without the ORM.

Each candidate is a dict: ``id``, ``skilled`` (trained on the device),
``distance_km`` (None when a position is unknown), ``open_tickets``,
``planned_hours`` (over the next days) and ``on_leave`` (during the
visit). The lower the score, the better; an engineer without the skill
is never suggested.
"""
import math

EARTH_RADIUS_KM = 6371.0
# Weights: 50 km weigh as much as one open ticket or 4 planned hours.
KM_PER_POINT = 50.0
HOURS_PER_POINT = 4.0
UNKNOWN_DISTANCE_POINTS = 10.0
LEAVE_POINTS = 1000.0


def haversine_km(lat1, lon1, lat2, lon2):
    """Return the great-circle distance in km between two points given in
    decimal degrees."""
    for value in (lat1, lat2):
        if value is None or not -90 <= value <= 90:
            raise ValueError('latitude must lie between -90 and 90')
    for value in (lon1, lon2):
        if value is None or not -180 <= value <= 180:
            raise ValueError('longitude must lie between -180 and 180')
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + \
        math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _weight(weights, key, default):
    """Return a positive weight of ``weights`` (a company's settings),
    ``default`` when missing or not positive (no division by zero)."""
    value = (weights or {}).get(key)
    return value if value and value > 0 else default


def score(candidate, weights=None):
    """Return the score of one skilled candidate (lower is better).
    ``weights`` may give ``km_per_point`` and ``hours_per_point``: the
    distance and the planned hours that weigh as much as one open
    ticket."""
    km_per_point = _weight(weights, 'km_per_point', KM_PER_POINT)
    hours_per_point = _weight(weights, 'hours_per_point', HOURS_PER_POINT)
    distance = candidate.get('distance_km')
    points = UNKNOWN_DISTANCE_POINTS if distance is None else \
        distance / km_per_point
    points += candidate.get('open_tickets', 0)
    points += candidate.get('planned_hours', 0.0) / hours_per_point
    if candidate.get('on_leave'):
        points += LEAVE_POINTS
    return round(points, 4)


def rank(candidates, weights=None):
    """Return the skilled candidates, best first, each with its
    ``score`` (see ``score`` for ``weights``); ties keep the given
    order."""
    ranked = []
    for position, candidate in enumerate(candidates):
        if not candidate.get('skilled'):
            continue
        points = score(candidate, weights)
        ranked.append((points, position, dict(candidate, score=points)))
    ranked.sort(key=lambda item: (item[0], item[1]))
    return [item[2] for item in ranked]
