"""The records of sharing and joint work in clusters (S2 二(三)), by kind."""

from .facilities import Booking, Facility

__all__ = ["Booking", "Facility"]

from .library import (  # the resource library and the cluster's culture (R-D2, R-D4, R-D9)
    ClusterCulture,
    ClusterEvent,
    EventParticipant,
    EventPhoto,
    LibraryResource,
    ResourceRating,
    ResourceUsage,
    ResourceVersion,
)

__all__ += [
    "ClusterCulture",
    "ClusterEvent",
    "EventParticipant",
    "EventPhoto",
    "LibraryResource",
    "ResourceRating",
    "ResourceUsage",
    "ResourceVersion",
]
