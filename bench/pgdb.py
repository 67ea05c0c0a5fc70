"""The benchmarks' scratch PostgreSQL database: dropped and created anew, and only ever one named *bench*."""


def recreate_database(url: str, *, drop_only: bool = False) -> None:
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    name = config["NAME"]
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit(f"This benchmark needs PostgreSQL; the URL points to {config['ENGINE']}.")
    if "bench" not in name:
        raise SystemExit(f"Refusing to drop database {name!r}: the benchmarks only use databases named *bench*.")
    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **{k: v for k, v in params.items() if v}) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if not drop_only:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
