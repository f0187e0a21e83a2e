"""The records of sharing and joint work in clusters (S2 二(三)), by kind."""

from .facilities import Booking, Facility

__all__ = ["Booking", "Facility"]
