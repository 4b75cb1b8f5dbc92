"""Accounts use Django's user and group models; roles are groups (see constants.Role).

This module exists so that Django sends this app its post_migrate signal."""
