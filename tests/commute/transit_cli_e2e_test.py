#!/usr/bin/env python3
"""End-to-end test of `carvematch transit import` and of the server loading the stored
timetable at start.

Usage: transit_cli_e2e_test.py PATH_TO_CARVEMATCH   (run from the repository root)
"""
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest
import zipfile

CARVEMATCH = None

GOOD = {
    "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\n"
                  "dl,De Lijn,https://www.delijn.be,Europe/Brussels\n",
    "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\n"
                 "s1,Aalst Station,50.9424,4.0387\n"
                 "s2,Erembodegem Kerk,50.9190,4.0500\n"
                 "s2,Erembodegem Kerk (again),50.9190,4.0500\n",
    "routes.txt": "route_id,agency_id,route_short_name,route_long_name,route_type\n"
                  "r36,dl,36,Aalst - Erembodegem,3\n",
    "trips.txt": "route_id,service_id,trip_id\n"
                 "r36,wd,t1\nr36,wd,t2\n",
    "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
                      "t1,06:12:00,06:12:00,s1,1\nt1,06:47:00,06:47:00,s2,2\n"
                      "t2,07:12:00,07:12:00,s1,1\nt2,07:47:00,07:47:00,s2,2\n",
    "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
                    "start_date,end_date\nwd,1,1,1,1,1,0,0,20260101,20261231\n",
}


def write_zip(path, files):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, text)


def run(*args):
    return subprocess.run([CARVEMATCH, *args], capture_output=True, text=True, timeout=120)


class TransitImportTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="carvematch-transit-e2e-")
        self.db = os.path.join(self.dir, "store.db")
        self.good = os.path.join(self.dir, "delijn.zip")
        write_zip(self.good, GOOD)

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def stored(self):
        with sqlite3.connect(self.db) as db:
            return db.execute(
                "SELECT name, feed_version, summary, length(data) FROM transit_timetables "
                "ORDER BY name").fetchall()

    def test_import_lists_warnings_and_summary(self):
        r = run("transit", "import", self.good, "--db", self.db)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('reading %s as feed "delijn"' % self.good, r.stdout)
        self.assertIn("2 warnings:", r.stdout)
        self.assertIn("  stops.txt:4: duplicate stop_id 's2'; first row kept", r.stdout)
        self.assertIn("  transfers.txt: no transfers.txt", r.stdout)
        self.assertIn("imported 1 feed, 1 agencies, 2 stops", r.stdout)
        self.assertIn('timetable "default": 2 stops, 1 routes, 2 trips', r.stdout)
        self.assertIn("valid delijn 2026-01-01..2026-12-31", r.stdout)
        self.assertIn("restart the server to use it", r.stdout)
        rows = self.stored()
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0][0], "default")
        self.assertGreater(rows[0][3], 100)
        # The same files give the same feed version; another name is another row.
        r = run("transit", "import", self.good, "--db", self.db, "--name", "other")
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = self.stored()
        self.assertEqual([row[0] for row in rows], ["default", "other"])
        self.assertEqual(rows[0][1], rows[1][1])

    def test_two_feeds_side_by_side(self):
        second = os.path.join(self.dir, "nmbs.zip")
        files = dict(GOOD)
        files["routes.txt"] = files["routes.txt"].replace(",3\n", ",2\n")
        write_zip(second, files)
        r = run("transit", "import", self.good, second, "--db", self.db)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('as feed "nmbs"', r.stdout)
        self.assertIn("imported 2 feeds", r.stdout)
        self.assertIn('timetable "default": 4 stops, 2 routes, 4 trips', r.stdout)

    def test_error_names_file_line_and_field_and_keeps_the_old_timetable(self):
        self.assertEqual(run("transit", "import", self.good, "--db", self.db).returncode, 0)
        before = self.stored()
        bad = os.path.join(self.dir, "broken.zip")
        files = dict(GOOD)
        files["stop_times.txt"] = files["stop_times.txt"].replace("t2,07:47:00,07:47:00,s2",
                                                                  "t2,07:47:00,07:47:00,s9")
        write_zip(bad, files)
        r = run("transit", "import", bad, "--db", self.db)
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("stop_times.txt:5", r.stderr)
        self.assertIn("field stop_id", r.stderr)
        self.assertIn("unknown stop 's9'", r.stderr)
        self.assertIn("nothing was stored", r.stderr)
        self.assertEqual(self.stored(), before)

    def test_missing_file_and_usage(self):
        r = run("transit", "import", os.path.join(self.dir, "nope.zip"), "--db", self.db)
        self.assertEqual(r.returncode, 4, r.stderr)
        r = run("transit", "export", "--db", self.db)
        self.assertEqual(r.returncode, 2)
        self.assertIn("usage: carvematch transit import", r.stderr)

    def serve_log(self):
        p = subprocess.Popen([CARVEMATCH, "serve", "--db", self.db, "--listen", "127.0.0.1:0"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            line = p.stdout.readline()
            self.assertTrue(line.startswith("listening "), line)
        finally:
            p.terminate()
            _, err = p.communicate(timeout=60)
        return err

    def test_server_loads_the_stored_timetable_and_matrix(self):
        self.assertIn("no timetable imported", self.serve_log())
        self.assertEqual(run("transit", "import", self.good, "--db", self.db).returncode, 0)
        err = self.serve_log()
        self.assertIn('public transport: timetable "default"', err)
        self.assertIn("2 stops", err)
        self.assertIn("reference week from 20", err)
        # The first start builds the zone matrix and stores it; the next one loads it.
        self.assertIn("zone matrix: 0 zones x 0 sites", err)
        self.assertIn("built and stored", err)
        self.assertIn("loaded in", self.serve_log().split("zone matrix:")[1])
        with sqlite3.connect(self.db) as db:
            self.assertEqual(db.execute("SELECT COUNT(*) FROM transit_zone_matrices").fetchone(),
                             (1,))


if __name__ == "__main__":
    CARVEMATCH = os.path.abspath(sys.argv.pop(1))
    unittest.main()
