#!/usr/bin/env python3
"""End-to-end test of the carvematch command: serve, keys, import, list, get, match,
the Python client example, SIGKILL durability and graceful SIGTERM.

Usage: cli_e2e_test.py PATH_TO_CARVEMATCH   (run from the repository root)
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import unittest

CARVEMATCH = None
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEMO = os.path.join(ROOT, "data", "demo")


def run(*args, check=True, env=None):
    result = subprocess.run([CARVEMATCH, *args], capture_output=True, text=True, timeout=120,
                            env=env)
    if check and result.returncode != 0:
        raise AssertionError(f"carvematch {' '.join(args)} failed ({result.returncode}):\n"
                             f"{result.stdout}\n{result.stderr}")
    return result


class Server:
    def __init__(self, db):
        self.process = subprocess.Popen(
            [CARVEMATCH, "serve", "--db", db, "--listen", "127.0.0.1:0"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        if not line.startswith("listening "):
            self.process.kill()
            raise AssertionError("server did not start: " + line + self.process.stderr.read())
        self.address = "127.0.0.1:" + line.split()[1]

    def close(self):
        self.process.stdout.close()
        self.process.stderr.close()


class CliTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="carvematch-e2e-")
        self.db = os.path.join(self.dir, "store.db")
        self.key = run("keys", "create", "--db", self.db, "--org", "org-e2e-admin",
                       "--role", "admin").stdout.strip()
        self.assertTrue(self.key.startswith("cm_"))
        self.server = Server(self.db)

    def tearDown(self):
        if self.server.process.poll() is None:
            self.server.process.kill()
            self.server.process.wait()
        self.server.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def client(self, *args, check=True):
        return run(*args, "--server", self.server.address, "--key", self.key, check=check)

    def import_demo(self):
        out = self.client("import", os.path.join(DEMO, "employers.json"),
                          os.path.join(DEMO, "vacancies.json"),
                          os.path.join(DEMO, "participants.json")).stdout
        self.assertIn("created", out)

    def test_import_list_get_match(self):
        self.import_demo()
        with open(os.path.join(DEMO, "participants.json")) as f:
            participants = json.load(f)["participants"]
        listed = self.client("list", "participants", "--json").stdout.splitlines()
        self.assertEqual(len(listed), len(participants))
        first = participants[0]["id"]
        got = json.loads(self.client("get", "participant", first).stdout)
        self.assertEqual(got["id"], first)
        table = self.client("list", "vacancies").stdout
        self.assertIn("title", table.splitlines()[0])

        out = self.client("match", "participant", first, "--include-blocked").stdout
        self.assertIn(f"Vacancies for participant {first}", out)
        self.assertRegex(out, r"(fits|blocked)")

        with open(os.path.join(DEMO, "vacancies.json")) as f:
            vacancy = json.load(f)["vacancies"][0]["id"]
        lines = self.client("match", "vacancy", vacancy, "--json",
                            "--include-blocked").stdout.splitlines()
        self.assertTrue(lines)
        self.assertTrue(json.loads(lines[0])["cardId"].startswith("cand-"))

    def test_bulk_explain_and_filters(self):
        self.import_demo()
        with open(os.path.join(DEMO, "participants.json")) as f:
            n_participants = len(json.load(f)["participants"])
        with open(os.path.join(DEMO, "vacancies.json")) as f:
            n_vacancies = len(json.load(f)["vacancies"])
        out_csv = os.path.join(self.dir, "bulk.csv")
        result = self.client("bulk", "--top-k", "2", "--include-blocked", "--csv", "--out", out_csv)
        self.assertIn(f"ranked {n_participants} participants x {n_vacancies} vacancies",
                      result.stderr)
        self.assertIn("100%", result.stderr)  # the progress bar reached the end
        with open(out_csv) as f:
            rows = f.read().splitlines()
        self.assertEqual(rows[0], "side,id,rank,participant_id,vacancy_id,tier,score")
        self.assertEqual(len(rows) - 1, 2 * (n_participants + n_vacancies))
        lines = self.client("bulk", "--top-k", "1", "--json",
                            "--participants", "p-aalst-01,p-aalst-02").stdout.splitlines()
        self.assertEqual(len(lines), 2 + n_vacancies)
        self.assertEqual(json.loads(lines[0])["participant"]["participantId"], "p-aalst-01")

        out = self.client("explain", "p-aalst-02", "v-az-logistics", "--dutch",
                          "speaking=1.2,listening=A2").stdout
        self.assertIn("Now:", out)
        self.assertIn("What if:", out)
        bad = self.client("explain", "p-aalst-02", "v-az-logistics", "--add-mode", "ROCKET",
                          check=False)
        self.assertEqual(bad.returncode, 2)
        self.assertIn("--add-mode", bad.stderr)

        out = self.client("match", "participant", "p-aalst-04", "--tier", "fits", "--sector",
                          "H52", "--limit", "1").stdout
        self.assertIn("Durme Logistics", out)
        self.assertNotIn("Buurtmarkt", out)

    def test_assign(self):
        self.import_demo()
        with open(os.path.join(DEMO, "participants.json")) as f:
            n_participants = len(json.load(f)["participants"])
        with open(os.path.join(DEMO, "vacancies.json")) as f:
            vacancies = json.load(f)["vacancies"]
        capacity = {v["id"]: v.get("capacity", 1) for v in vacancies}
        out_csv = os.path.join(self.dir, "assign.csv")
        result = self.client("assign", "--objective", "anti-creaming", "--compare",
                             "--csv", out_csv)
        self.assertIn("100%", result.stderr)  # the progress bar reached the end
        self.assertIn("Objective: anti-creaming", result.stdout)
        self.assertIn("Fairness by number of barriers", result.stdout)
        self.assertIn("side by side", result.stdout)
        with open(out_csv) as f:
            rows = f.read().splitlines()
        self.assertEqual(rows[0],
                         "participant_id,status,vacancy_id,tier,score,reason,eligible_vacancies")
        self.assertEqual(len(rows) - 1, n_participants)  # one row each (one proposal each)
        used = {}
        for row in rows[1:]:
            cells = row.split(",")
            if cells[1] == "assigned":
                self.assertNotEqual(cells[3], "blocked")
                used[cells[2]] = used.get(cells[2], 0) + 1
            else:
                self.assertIn(cells[5], ("no feasible vacancy", "outcompeted"))
        for vacancy, n in used.items():
            self.assertLessEqual(n, capacity[vacancy])

        lines = self.client("assign", "--objective", "stable", "--json").stdout.splitlines()
        summary = json.loads(lines[-1])["summary"]
        self.assertEqual(summary["result"]["objective"], "STABLE")
        self.assertEqual(int(summary.get("blockingPairs", "0")), 0)

        bad = self.client("assign", "--proposals", "0", check=False)
        self.assertEqual(bad.returncode, 2)
        self.assertIn("proposals_per_participant", bad.stderr)
        bad = self.client("assign", "--vacancies", "v-nowhere", check=False)
        self.assertEqual(bad.returncode, 2)
        self.assertIn("vacancy_ids[0]", bad.stderr)

    def test_import_twice_replaces(self):
        self.import_demo()
        out = self.client("import", os.path.join(DEMO, "employers.json")).stdout
        self.assertIn("0 created", out)

    def test_csv_import(self):
        self.import_demo()
        out = self.client("import", os.path.join(DEMO, "participants.csv")).stdout
        self.assertIn("imported", out)

    def test_csv_job_seeker_since_column(self):
        self.import_demo()
        with open(os.path.join(DEMO, "participants.csv")) as f:
            header, first = f.read().splitlines()[:2]
        path = os.path.join(self.dir, "waiting.csv")
        with open(path, "w") as f:
            f.write(header + ",job_seeker_since\n" + first + ",2025-03-01\n")
        self.client("import", path)
        shown = self.client("get", "participant", first.split(",")[0], "--json").stdout
        self.assertIn("2025-03-01", shown)
        with open(path, "w") as f:
            f.write(header + ",job_seeker_since\n" + first + ",2999-01-01\n")
        result = self.client("import", path, check=False)
        self.assertEqual(result.returncode, 2)
        self.assertIn("participant.job_seeker_since", result.stderr)

    def test_bad_record_names_the_field(self):
        bad = os.path.join(self.dir, "bad.json")
        with open(bad, "w") as f:
            json.dump({"participants": [{
                "id": "p-bad", "organisationId": "org-x",
                "home": {"point": {"lat": 123, "lon": 4.0}, "municipality": "Aalst"},
                "transportModes": ["BIKE"]}]}, f)
        result = self.client("import", bad, check=False)
        self.assertEqual(result.returncode, 2)
        self.assertIn("participants[0]", result.stderr)
        self.assertIn("participant.home.point.lat", result.stderr)

    def test_wrong_key_is_refused(self):
        result = run("list", "participants", "--server", self.server.address,
                     "--key", "cm_wrong", check=False)
        self.assertEqual(result.returncode, 3)

    def test_python_client_example(self):
        self.import_demo()
        gen = os.path.join(self.dir, "gen")
        os.makedirs(gen)
        protos = [os.path.join("carvematch", "v1", p) for p in
                  ("common.proto", "participant.proto", "employer.proto", "vacancy.proto",
                   "match.proto")] + [os.path.join("google", "rpc", p) for p in
                                      ("status.proto", "error_details.proto")]
        subprocess.run(["protoc", "-I", os.path.join(ROOT, "proto"), "--python_out", gen,
                        *protos], check=True)
        example = os.path.join(ROOT, "examples", "python", "rank_vacancies.py")
        with open(os.path.join(DEMO, "participants.json")) as f:
            first = json.load(f)["participants"][0]["id"]
        env = dict(os.environ, PYTHONPATH=gen)
        # Debian's interpreter: python3-grpcio and python3-protobuf are installed for it.
        result = subprocess.run(["/usr/bin/python3", example, self.server.address, self.key, first],
                                capture_output=True, text=True, timeout=60, env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(result.stdout.strip())

    def test_sigkill_loses_no_acknowledged_write(self):
        self.import_demo()
        batch = os.path.join(self.dir, "batch.json")
        with open(os.path.join(DEMO, "participants.json")) as f:
            template = json.load(f)["participants"][0]
        people = []
        for i in range(60):
            p = dict(template)
            p["id"] = f"p-kill-{i:03d}"
            people.append(p)
        with open(batch, "w") as f:
            json.dump({"participants": people}, f)
        self.client("import", batch)  # returns only after every write is acknowledged
        self.server.process.send_signal(signal.SIGKILL)
        self.server.process.wait()
        self.server.close()
        self.server = Server(self.db)
        listed = [json.loads(line)["id"] for line in
                  self.client("list", "participants", "--json").stdout.splitlines()]
        for p in people:
            self.assertIn(p["id"], listed)

    def test_sigterm_stops_gracefully(self):
        self.server.process.send_signal(signal.SIGTERM)
        code = self.server.process.wait(timeout=30)
        self.assertEqual(code, 0)
        self.assertIn("stopped", self.server.process.stderr.read())

    def test_taxonomy_import(self):
        db = os.path.join(self.dir, "taxonomy.db")
        out = run("taxonomy", "import", os.path.join(ROOT, "data", "esco"), "--db", db).stdout
        self.assertIn("13896 skills, 3007 occupations", out)
        server = Server(db)
        try:
            server.process.send_signal(signal.SIGTERM)
            self.assertEqual(server.process.wait(timeout=30), 0)
            self.assertIn("imported into", server.process.stderr.read())
        finally:
            server.close()
        missing = run("taxonomy", "import", os.path.join(self.dir, "nope"), "--db", db,
                      check=False)
        self.assertEqual(missing.returncode, 4)
        self.assertIn("nope", missing.stderr)

    def test_review_carve_publish(self):
        self.import_demo()
        # Review: the order picker's licence B is needed by one 2 h task only.
        review = json.loads(self.client("review", "v-wh-orderpicker-early", "--json").stdout)
        self.assertEqual(review["vacancyId"], "v-wh-orderpicker-early")
        licence = [i for i in review["items"] if i["key"] == "licence_B"]
        self.assertEqual(len(licence), 1)
        self.assertEqual(licence[0]["classification"], "ALTERNATIVE_EXISTS")
        html_path = os.path.join(self.dir, "review.html")
        text = self.client("review", "v-wh-orderpicker-early", "--html", html_path).stdout
        self.assertIn("Requirement review of v-wh-orderpicker-early", text)
        self.assertIn("alternative exists", text)
        with open(html_path, encoding="utf-8") as f:
            page = f.read()
        self.assertTrue(page.startswith("<!DOCTYPE html>"))
        self.assertIn("alternative exists", page)
        self.assertNotIn("<script", page)
        self.assertNotIn("http", page.split("<body>")[0])  # nothing loaded from elsewhere

        # Carve: the nursing tasks stay, logistics and hotel tasks move.
        carving = json.loads(self.client("carve", "v-az-nurse-internal", "--max-jobs", "1",
                                         "--json").stdout)
        stays = [t["taskId"] for t in carving["tasks"] if t["disposition"] == "STAYS"]
        self.assertTrue(stays)
        self.assertTrue(carving["proposals"])
        bundle = carving["proposals"][0]["bundles"][0]
        moved = {t["taskId"] for t in bundle["tasks"]}
        self.assertFalse(moved & set(stays))
        carve_html = os.path.join(self.dir, "carving.html")
        text = self.client("carve", "v-az-nurse-internal", "--max-jobs", "1", "--html",
                           carve_html).stdout
        self.assertIn("Proposal 1", text)
        with open(carve_html, encoding="utf-8") as f:
            page = f.read()
        self.assertIn("New job 1", page)
        self.assertIn("Roles that change", page)
        for task in bundle["tasks"]:
            self.assertIn(task["taskId"], page)

        # Publish the first job: a new vacancy linked to its origin, which loses the tasks.
        out = self.client("publish", "v-az-nurse-internal", "--max-jobs", "1", "--id",
                          "v-az-ward-logistics", "--json").stdout
        published = json.loads(out)
        self.assertEqual(published["vacancy"]["carvedFrom"], ["v-az-nurse-internal"])
        got = json.loads(self.client("get", "vacancy", "v-az-ward-logistics").stdout)
        self.assertEqual(got["carvedFrom"], ["v-az-nurse-internal"])
        origin = json.loads(self.client("get", "vacancy", "v-az-nurse-internal").stdout)
        self.assertFalse(moved & {t["id"] for t in origin["tasks"]})

        bad = self.client("carve", "v-az-nurse-internal", "--max-jobs", "11", check=False)
        self.assertEqual(bad.returncode, 2)
        self.assertIn("options.max_new_jobs", bad.stderr)

    def test_usage_errors(self):
        self.assertEqual(run("frobnicate", check=False).returncode, 2)
        result = run("keys", "create", "--db", self.db, "--org", "o", "--role", "boss",
                     check=False)
        self.assertEqual(result.returncode, 2)
        self.assertIn("unknown role", result.stderr)


if __name__ == "__main__":
    CARVEMATCH = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
