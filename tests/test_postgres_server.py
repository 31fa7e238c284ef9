"""The tests' own PostgreSQL server: real, on loopback, and able to stop and come back."""

from __future__ import annotations

from .postgres import Cluster


def test_the_throwaway_server_answers_and_comes_back_after_a_stop(postgres: Cluster) -> None:
    url = postgres.create_database()
    database = url.rsplit("/", 1)[1]
    postgres.psql("CREATE TABLE t (n integer); INSERT INTO t VALUES (1), (2)", database)
    postgres.stop()
    assert not postgres.is_running()
    postgres.start()
    assert postgres.psql("SELECT sum(n) FROM t", database) == "3"
    assert postgres.psql("SHOW listen_addresses") == "127.0.0.1"
