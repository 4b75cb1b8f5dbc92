"""The throw-away PostgreSQL database of a benchmark, shared by the bench scripts: for a
``DATABASE_URL`` naming a PostgreSQL server, the URL of the server's maintenance database (to
create and drop with) and the URL of the benchmark's own database on that server; the database
named in the URL itself is never touched."""

from urllib.parse import urlsplit, urlunsplit


def postgres_server(url: str, db_name: str) -> tuple[str, str] | None:
    """``(admin URL, URL of the throw-away database db_name)`` for a PostgreSQL ``DATABASE_URL``, else None."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        return None
    admin = urlunsplit(("postgresql", parts.netloc, "/postgres", "", ""))
    bench = urlunsplit((parts.scheme, parts.netloc, f"/{db_name}", parts.query, ""))
    return admin, bench


def admin_execute(admin_url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(statement)
