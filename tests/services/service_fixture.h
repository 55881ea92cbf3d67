// What every service test sets up: a real SQLite file in a temporary directory named
// after the test, a taxonomy and the matcher over the geometric travel model, the
// in-memory index, and the real server with all services, reached over its in-process
// channel; API keys and authenticated client contexts.
//
// Example usage:
//   class MyServiceTest : public ServiceFixture {
//    protected:
//     void SetUp() override {
//       OpenStore();
//       PrepareMatching(SmallRelease());
//       StartServer(Context());
//       coach_ = Key("org-a", "coach");
//     }
//   };
#ifndef CARVEMATCH_TESTS_SERVICES_SERVICE_FIXTURE_H_
#define CARVEMATCH_TESTS_SERVICES_SERVICE_FIXTURE_H_

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <utility>

#include "carvematch/v1/assignment.grpc.pb.h"
#include "carvematch/v1/carving.grpc.pb.h"
#include "carvematch/v1/employer.grpc.pb.h"
#include "carvematch/v1/match.grpc.pb.h"
#include "carvematch/v1/participant.grpc.pb.h"
#include "carvematch/v1/vacancy.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "matcher/matcher.h"
#include "matcher/taxonomy_credit.h"
#include "mobility/travel.h"
#include "services/context.h"
#include "services/match_index.h"
#include "services/server.h"
#include "storage/sqlite_repository.h"
#include "taxonomy/taxonomy.h"

namespace carvematch {

class ServiceFixture : public ::testing::Test {
 protected:
  // A new store in a fresh temporary directory.
  void OpenStore() {
    dir_ =
        std::filesystem::temp_directory_path() /
        ("carvematch-" +
         std::string(::testing::UnitTest::GetInstance()->current_test_info()->test_suite_name()) +
         "-" + std::to_string(::getpid()) + "-" +
         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto repo = SqliteRepository::Open((dir_ / "store.db").string());
    ASSERT_TRUE(repo.ok()) << repo.status();
    repo_ = std::move(*repo);
  }

  // The taxonomy, the matcher over travel_ and the index loaded from the store (records
  // written before are indexed).
  void PrepareMatching(EscoRelease release) {
    taxonomy_ = std::make_unique<Taxonomy>(std::move(release));
    credit_ = std::make_unique<TaxonomyCredit>(*taxonomy_);
    matcher_ = std::make_unique<Matcher>(*credit_, travel_);
    auto index = MatchIndex::Load(*repo_);
    ASSERT_TRUE(index.ok()) << index.status();
    index_ = std::move(*index);
  }

  ServiceContext Context() const {
    ServiceContext context;
    context.repository = repo_.get();
    context.taxonomy = taxonomy_.get();
    context.matcher = matcher_.get();
    context.index = index_.get();
    return context;
  }

  // Starts the server over `context` (stopping a running one) and connects the stubs.
  void StartServer(const ServiceContext& context) {
    server_.reset();
    ServerOptions options;
    options.listen = "127.0.0.1:0";
    auto server = Server::Start(context, options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    channel_ = server_->InProcessChannel();
    participants_ = v1::ParticipantService::NewStub(channel_);
    employers_ = v1::EmployerService::NewStub(channel_);
    vacancies_ = v1::VacancyService::NewStub(channel_);
    matches_ = v1::MatchService::NewStub(channel_);
    carving_ = v1::CarvingService::NewStub(channel_);
    assignment_ = v1::AssignmentService::NewStub(channel_);
  }

  void TearDown() override {
    server_.reset();
    repo_.reset();
    std::filesystem::remove_all(dir_);
  }

  // A new API key of `role` for `org` (the organisation is created when missing).
  std::string Key(const std::string& org, const std::string& role) {
    EXPECT_TRUE(repo_->EnsureOrganisation(org).ok());
    auto key = repo_->CreateApiKey(org, role);
    EXPECT_TRUE(key.ok()) << key.status();
    return key.ok() ? key->plaintext : std::string();
  }

  // A client context authenticated with `key`; without a key when it is empty.
  std::unique_ptr<grpc::ClientContext> As(const std::string& key) {
    auto context = std::make_unique<grpc::ClientContext>();
    if (!key.empty()) context->AddMetadata("authorization", "Bearer " + key);
    return context;
  }

  std::filesystem::path dir_;
  std::unique_ptr<SqliteRepository> repo_;
  std::unique_ptr<Taxonomy> taxonomy_;
  std::unique_ptr<TaxonomyCredit> credit_;
  TravelModel travel_;
  std::unique_ptr<Matcher> matcher_;
  std::unique_ptr<MatchIndex> index_;
  std::unique_ptr<Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::ParticipantService::Stub> participants_;
  std::unique_ptr<v1::EmployerService::Stub> employers_;
  std::unique_ptr<v1::VacancyService::Stub> vacancies_;
  std::unique_ptr<v1::MatchService::Stub> matches_;
  std::unique_ptr<v1::CarvingService::Stub> carving_;
  std::unique_ptr<v1::AssignmentService::Stub> assignment_;
};

}  // namespace carvematch

#endif  // CARVEMATCH_TESTS_SERVICES_SERVICE_FIXTURE_H_
