"""What membership holds on people (see ``accounts.privacy``): nothing. Memberships and their
procedures are those of municipalities; the people who took part are in governance."""
