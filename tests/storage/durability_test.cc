// Crash durability of SqliteRepository: a writer process (durability_writer.cc)
// creates participants one by one and acknowledges each on stdout after the call
// returned; the test SIGKILLs it at a random moment and checks that every
// acknowledged participant is in the file, intact, and that at most the one write
// in flight at the kill went further.
#include <signal.h>
#include <sqlite3.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "storage/sqlite_repository.h"
#include "tests/storage/test_data.h"
#include "tests/storage/test_equal.h"

#ifndef CARVEMATCH_DURABILITY_WRITER
#error "CARVEMATCH_DURABILITY_WRITER must name the writer executable"
#endif

namespace carvematch {
namespace {

namespace fs = std::filesystem;

struct WriterRun {
  std::vector<std::string> acked;
  bool killed = false;
};

// Runs the writer until `kill_after` acks have been read, waits `delay_us`, kills it
// with SIGKILL and collects every ack it printed before it died.
WriterRun RunAndKill(const std::string& db, const std::string& prefix, int kill_after,
                     int delay_us) {
  WriterRun run;
  int fds[2];
  if (pipe(fds) != 0) {
    ADD_FAILURE() << "pipe failed";
    return run;
  }
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    execl(CARVEMATCH_DURABILITY_WRITER, CARVEMATCH_DURABILITY_WRITER, db.c_str(), prefix.c_str(),
          "1000000", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  std::string buffer;
  char chunk[4096];
  bool sent_kill = false;
  while (true) {
    ssize_t n = read(fds[0], chunk, sizeof(chunk));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EOF: the writer is gone
    buffer.append(chunk, static_cast<size_t>(n));
    size_t newline;
    while ((newline = buffer.find('\n')) != std::string::npos) {
      std::string line = buffer.substr(0, newline);
      buffer.erase(0, newline + 1);
      if (line.rfind("ack ", 0) == 0) run.acked.push_back(line.substr(4));
    }
    if (!sent_kill && static_cast<int>(run.acked.size()) >= kill_after) {
      usleep(static_cast<useconds_t>(delay_us));
      kill(pid, SIGKILL);
      sent_kill = true;
    }
  }
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  run.killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  EXPECT_TRUE(buffer.empty()) << "a torn line: the writer acks whole lines only";
  return run;
}

std::string IntegrityCheck(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  std::string result = "no result";
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW) {
    result = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return result;
}

TEST(DurabilityTest, AcknowledgedWritesSurviveSigkill) {
  const char* tmp = std::getenv("TMPDIR");
  std::string templ = absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/carvematch-durability-XXXXXX");
  ASSERT_NE(mkdtemp(templ.data()), nullptr);
  const std::string dir = templ;
  const std::string db = dir + "/durable.db";

  std::random_device device;
  const unsigned seed = device();
  SCOPED_TRACE(absl::StrCat("seed ", seed));
  std::mt19937 rng(seed);

  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE(absl::StrCat("round ", round));
    const std::string prefix = absl::StrCat("r", round);
    const int kill_after = std::uniform_int_distribution<int>(180, 220)(rng);
    const int delay_us = std::uniform_int_distribution<int>(0, 3000)(rng);
    WriterRun run = RunAndKill(db, prefix, kill_after, delay_us);
    ASSERT_TRUE(run.killed) << "the writer ended before it was killed";
    ASSERT_GE(static_cast<int>(run.acked.size()), kill_after);

    EXPECT_EQ(IntegrityCheck(db), "ok");
    absl::StatusOr<std::unique_ptr<SqliteRepository>> repo = SqliteRepository::Open(db);
    ASSERT_TRUE(repo.ok()) << repo.status();
    for (size_t i = 0; i < run.acked.size(); ++i) {
      const std::string expected_id = absl::StrFormat("%s-%05d", prefix, i);
      ASSERT_EQ(run.acked[i], expected_id);
      absl::StatusOr<Participant> got = (*repo)->GetParticipant(expected_id);
      ASSERT_TRUE(got.ok()) << expected_id << ": " << got.status();
      Participant expected = testing_data::FullParticipant(expected_id, "org-durable");
      expected.create_time_unix = got->create_time_unix;
      expected.update_time_unix = got->update_time_unix;
      EXPECT_GT(got->create_time_unix, 0);
      testing_data::ExpectSame(expected, *got);
    }
    // Writes are sequential: besides the acknowledged ones, at most the write in
    // flight at the kill may have been committed.
    absl::StatusOr<std::vector<Participant>> all = ListAllParticipants(**repo, "org-durable");
    ASSERT_TRUE(all.ok()) << all.status();
    int of_round = 0;
    for (const Participant& p : *all) {
      if (p.id.rfind(prefix + "-", 0) == 0) ++of_round;
    }
    EXPECT_GE(of_round, static_cast<int>(run.acked.size()));
    EXPECT_LE(of_round, static_cast<int>(run.acked.size()) + 1);
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace carvematch
