"""What the parliamentary mirror holds on people (see ``accounts.privacy``): nothing on people of
the network. Its people (``Persoon``, actors of cases and documents) are members of parliament, as
the Tweede Kamer publishes them in its open data, kept as received."""
