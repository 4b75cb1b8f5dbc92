"""Stedennet: the working platform of a network of cities."""

__version__ = "0.1.0"
