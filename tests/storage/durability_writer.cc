// Test helper of durability_test.cc: writes participants one by one to a SQLite
// repository and prints "ack <id>" after each write has returned OK, so the parent
// knows which writes it may expect to survive a SIGKILL.
//
// Usage: storage_durability_writer <db-path> <id-prefix> <count>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "storage/sqlite_repository.h"
#include "tests/storage/test_data.h"

namespace {

// Writes all of `line` to stdout, unbuffered, so that an ack is out of this process
// before the next write starts.
bool WriteLine(const std::string& line) {
  size_t done = 0;
  while (done < line.size()) {
    ssize_t n = write(STDOUT_FILENO, line.data() + done, line.size() - done);
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s <db-path> <id-prefix> <count>\n", argv[0]);
    return 2;
  }
  const std::string prefix = argv[2];
  const int count = std::atoi(argv[3]);
  auto repo = carvematch::SqliteRepository::Open(argv[1]);
  if (!repo.ok()) {
    std::fprintf(stderr, "open: %s\n", repo.status().ToString().c_str());
    return 1;
  }
  if (absl::Status s = (*repo)->EnsureOrganisation("org-durable"); !s.ok()) {
    std::fprintf(stderr, "organisation: %s\n", s.ToString().c_str());
    return 1;
  }
  for (int i = 0; i < count; ++i) {
    std::string id = absl::StrFormat("%s-%05d", prefix, i);
    auto stored =
        (*repo)->CreateParticipant(carvematch::testing_data::FullParticipant(id, "org-durable"));
    if (!stored.ok()) {
      std::fprintf(stderr, "create %s: %s\n", id.c_str(), stored.status().ToString().c_str());
      return 1;
    }
    if (!WriteLine(absl::StrCat("ack ", id, "\n"))) return 1;
  }
  return 0;
}
