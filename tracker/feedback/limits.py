"""How long each feedback answer may be: the service refuses longer ones, the form says so beforehand.

A module of its own, so the form can name the limits without importing the service and all it needs.
"""

MESSAGE_MAX = 5000
STAFF_NAMES_MAX = 500
NAME_MAX = 200
LOCATION_MAX = 200
WHEN_MAX = 120
