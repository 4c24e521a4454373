"""Demo data for `make run` (`qualitycity setup_demo`), made through the apps' services only.

Modules import one way, top to bottom; none imports a module above it, and no other app imports
this package:

    setup        setup_demo(): organisation, indicators, framework, users, then the campaign
    campaign     the demo campaign: rounds, scores, evidence, findings
    work         the campaign's tasks, progress reports, supervision notices and meetings
    people       the demo users (one per role) and the units' liaison logins
    indicators   the built-in indicators with five years of made-up values
"""
