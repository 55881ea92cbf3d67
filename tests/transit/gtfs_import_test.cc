#include "transit/gtfs_import.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "archive/zip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "transit/feed_source.h"
#include "transit/gtfs_csv.h"
#include "transit/timetable.h"

namespace carvematch::transit {
namespace {

using ::testing::HasSubstr;

const std::string kFeeds = "tests/transit/feeds/";

constexpr Seconds T(int h, int m, int s = 0) { return h * 3600 + m * 60 + s; }

// ---------------------------------------------------------------------------------------
// CSV and field parsing.

TEST(GtfsFieldsTest, Times) {
  Seconds t = 0;
  EXPECT_TRUE(ParseGtfsTime("06:12:00", &t));
  EXPECT_EQ(t, T(6, 12));
  EXPECT_TRUE(ParseGtfsTime("6:12:05", &t));
  EXPECT_EQ(t, T(6, 12, 5));
  EXPECT_TRUE(ParseGtfsTime("25:05:00", &t));
  EXPECT_EQ(t, T(25, 5));
  EXPECT_TRUE(ParseGtfsTime(" 07:00:00 ", &t));
  for (const char* bad : {"25:6x:00", "06:60:00", "06:12", "06:12:00:00", ":12:00", "ab:cd:ef",
                          "06:12:60", "", "0612:00"}) {
    EXPECT_FALSE(ParseGtfsTime(bad, &t)) << bad;
  }
  EXPECT_EQ(FormatGtfsTime(T(25, 5, 9)), "25:05:09");
}

TEST(GtfsFieldsTest, Dates) {
  Day d = 0;
  EXPECT_TRUE(ParseGtfsDate("20261123", &d));
  EXPECT_EQ(d, DayFromCivil(2026, 11, 23));
  EXPECT_TRUE(ParseGtfsDate("20240229", &d));
  for (const char* bad :
       {"20230229", "20261332", "2026-11-23", "2026112", "202611230", "20261100", ""}) {
    EXPECT_FALSE(ParseGtfsDate(bad, &d)) << bad;
  }
}

TEST(CsvReaderTest, QuotesBomCrlfAndLineNumbers) {
  const std::string content =
      "\xEF\xBB\xBF"
      "id,name,extra\r\n"
      "1,\"Plein, Aalst\",x\r\n"
      "\r\n"
      "2,\"two\nlines \"\"quoted\"\"\",y\r\n"
      "3, spaced ,\r\n"
      "4,short\n";
  CsvReader csv("stops.txt", content);
  ASSERT_TRUE(csv.ReadHeader().ok());
  EXPECT_EQ(csv.Column("id"), 0);
  EXPECT_EQ(csv.Column("extra"), 2);
  EXPECT_EQ(csv.Column("missing"), -1);
  absl::StatusOr<int> missing = csv.RequiredColumn("stop_lat");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(missing.status().message(), HasSubstr("stops.txt:1: field stop_lat"));

  ASSERT_TRUE(*csv.Next());
  EXPECT_EQ(csv.line(), 2);
  EXPECT_EQ(csv.Field(1), "Plein, Aalst");
  ASSERT_TRUE(*csv.Next());
  EXPECT_EQ(csv.line(), 4);  // the blank line 3 is skipped
  EXPECT_EQ(csv.Field(1), "two\nlines \"quoted\"");
  EXPECT_EQ(csv.Field(2), "y");
  ASSERT_TRUE(*csv.Next());
  EXPECT_EQ(csv.line(), 6);  // the quoted field spanned lines 4 and 5
  EXPECT_EQ(csv.Field(1), "spaced");
  EXPECT_EQ(csv.Field(2), "");
  ASSERT_TRUE(*csv.Next());
  EXPECT_EQ(csv.line(), 7);
  EXPECT_EQ(csv.Field(2), "");  // short record
  absl::StatusOr<Seconds> time = csv.RequiredTime(1, "departure_time");
  EXPECT_EQ(time.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(time.status().message(),
            "stops.txt:7: field departure_time: 'short' is not a time HH:MM:SS");
  EXPECT_FALSE(*csv.Next());
}

TEST(CsvReaderTest, UnterminatedQuoteAndEmptyFile) {
  CsvReader csv("routes.txt", "a,b\n1,\"open\n2,3\n");
  ASSERT_TRUE(csv.ReadHeader().ok());
  absl::StatusOr<bool> next = csv.Next();
  EXPECT_EQ(next.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(next.status().message(), HasSubstr("routes.txt:2: field b: unterminated"));
  CsvReader empty("agency.txt", "");
  EXPECT_EQ(empty.ReadHeader().code(), absl::StatusCode::kInvalidArgument);
}

// ---------------------------------------------------------------------------------------
// Import of the hand-made feeds.

std::string TempDir(const std::string& name) {
  std::filesystem::path p = std::filesystem::temp_directory_path() /
                            ("carvematch_gtfs_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  return p.string();
}

// Zips the feed directory `dir` into `zip_path`.
void ZipDirectory(const std::string& dir, const std::string& zip_path) {
  ZipWriter w;
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  for (const std::string& n : names) w.Add(n, *ReadFileToString(dir + "/" + n));
  ASSERT_TRUE(w.WriteTo(zip_path).ok());
}

StopIndex StopById(const Timetable& t, const std::string& id) {
  for (StopIndex s = 0; s < t.num_stops(); ++s) {
    if (t.stops[s].id == id) return s;
  }
  ADD_FAILURE() << "no stop " << id;
  return 0;
}

// The calls of trip `id` as (stop id, arrival, departure).
struct Call {
  std::string stop;
  Seconds arrival;
  Seconds departure;
  uint8_t flags;
};
std::vector<Call> TripCalls(const Timetable& t, const std::string& id) {
  for (RouteIndex r = 0; r < t.num_routes(); ++r) {
    const Route& route = t.routes[r];
    for (uint32_t k = 0; k < route.num_trips; ++k) {
      if (t.trips[route.first_trip + k].trip_id != id) continue;
      std::vector<Call> calls;
      for (uint32_t p = 0; p < route.num_stops; ++p) {
        calls.push_back({t.stops[t.route_stops[route.first_route_stop + p]].id,
                         t.At(r, k, p).arrival, t.At(r, k, p).departure,
                         t.route_stop_flags[route.first_route_stop + p]});
      }
      return calls;
    }
  }
  return {};
}

const TripInfo* TripById(const Timetable& t, const std::string& id) {
  for (const TripInfo& i : t.trips) {
    if (i.trip_id == id) return &i;
  }
  return nullptr;
}

std::map<StopIndex, Seconds> FootpathsFrom(const Timetable& t, StopIndex s) {
  std::map<StopIndex, Seconds> m;
  for (uint32_t i = t.footpath_offsets[s]; i < t.footpath_offsets[s + 1]; ++i) {
    m[t.footpaths[i].to] = t.footpaths[i].duration;
  }
  return m;
}

TEST(GtfsImportTest, VillageFeed) {
  TimetableBuilder b;
  absl::StatusOr<ImportReport> report = ImportGtfs(kFeeds + "village", "v", b);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->feeds, 1u);
  EXPECT_EQ(report->agencies, 1u);
  EXPECT_EQ(report->stops, 6u);  // STA STB MAR MAR2 ZNO KRK; not the station or entrance
  EXPECT_EQ(report->stations, 1u);
  EXPECT_EQ(report->routes, 3u);
  EXPECT_EQ(report->trips, 7u);
  EXPECT_EQ(report->stop_times, 19u);
  EXPECT_EQ(report->services, 3u);
  EXPECT_EQ(report->transfers, 3u);
  EXPECT_EQ(report->num_warnings, 0u) << report->warnings[0].message;
  EXPECT_THAT(report->Summary(), HasSubstr("6 stops"));

  absl::StatusOr<Timetable> t = std::move(b).Build(FootpathOptions{});
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_EQ(t->feeds.size(), 1u);
  EXPECT_EQ(t->feeds[0].name, "v");
  EXPECT_EQ(t->feeds[0].agencies, std::vector<std::string>{"Testbus"});
  EXPECT_EQ(t->feeds[0].first_day, DayFromCivil(2026, 11, 2));
  EXPECT_EQ(t->feeds[0].last_day, DayFromCivil(2026, 12, 31));

  std::vector<Call> c = TripCalls(*t, "v:36_0612");
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].stop, "v:STA");
  EXPECT_EQ(c[0].departure, T(6, 12));
  EXPECT_EQ(c[2].stop, "v:ZNO");
  EXPECT_EQ(c[2].arrival, T(6, 47));
  std::vector<Call> night = TripCalls(*t, "v:N1_2440");
  ASSERT_EQ(night.size(), 2u);
  EXPECT_EQ(night[0].departure, T(24, 40));
  EXPECT_EQ(night[1].arrival, T(25, 5));
  const TripInfo* info = TripById(*t, "v:52_0600");
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->route_id, "v:52");
  EXPECT_EQ(info->short_name, "52");
  EXPECT_EQ(info->mode, RouteMode::kBus);
  EXPECT_EQ(info->headsign, "Markt");

  // Calendars: no Sunday, Christmas removed, the calendar_dates-only service.
  const ServiceCalendar& wd = t->services[TripById(*t, "v:36_0612")->service];
  EXPECT_EQ(wd.id, "v:WD");
  EXPECT_TRUE(wd.RunsOn(DayFromCivil(2026, 11, 23)));
  EXPECT_FALSE(wd.RunsOn(DayFromCivil(2026, 11, 29)));
  EXPECT_FALSE(wd.RunsOn(DayFromCivil(2026, 12, 25)));
  EXPECT_TRUE(wd.RunsOn(DayFromCivil(2026, 12, 24)));
  const ServiceCalendar& xmas = t->services[TripById(*t, "v:36_xmas_2312")->service];
  EXPECT_EQ(xmas.CountDays(), 1);
  EXPECT_TRUE(xmas.RunsOn(DayFromCivil(2026, 12, 24)));

  // Transfers: 180 s between the platforms, none from MAR to MAR2 (type 3) while the
  // generated one back from MAR2 to MAR (47 m) exists.
  const StopIndex sta = StopById(*t, "v:STA"), stb = StopById(*t, "v:STB");
  const StopIndex mar = StopById(*t, "v:MAR"), mar2 = StopById(*t, "v:MAR2");
  EXPECT_EQ(FootpathsFrom(*t, sta).at(stb), 180);
  EXPECT_EQ(FootpathsFrom(*t, stb).at(sta), 180);
  EXPECT_EQ(FootpathsFrom(*t, mar).count(mar2), 0u);
  EXPECT_EQ(FootpathsFrom(*t, mar2).at(mar), 60);
  EXPECT_TRUE(FootpathsFrom(*t, StopById(*t, "v:ZNO")).empty());
  // 36 (three stops) and its Saturday and Christmas trips share one route.
  size_t routes_with_three_stops = 0;
  for (const Route& r : t->routes) routes_with_three_stops += r.num_stops == 3;
  EXPECT_EQ(routes_with_three_stops, 1u);
  EXPECT_EQ(t->num_routes(), 3u);
}

TEST(GtfsImportTest, ZipGivesTheSameAsTheDirectory) {
  const std::string dir = TempDir("zip");
  ZipDirectory(kFeeds + "village", dir + "/village.zip");
  TimetableBuilder from_zip, from_dir;
  absl::StatusOr<ImportReport> a = ImportGtfs(dir + "/village.zip", "v", from_zip);
  absl::StatusOr<ImportReport> b = ImportGtfs(kFeeds + "village", "v", from_dir);
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a->Summary(), b->Summary());
  absl::StatusOr<Timetable> ta = std::move(from_zip).Build(FootpathOptions{});
  absl::StatusOr<Timetable> tb = std::move(from_dir).Build(FootpathOptions{});
  ASSERT_TRUE(ta.ok() && tb.ok());
  EXPECT_EQ(ta->trips.size(), tb->trips.size());
  for (size_t i = 0; i < ta->stop_times.size(); ++i) {
    EXPECT_EQ(ta->stop_times[i].arrival, tb->stop_times[i].arrival);
  }
  std::filesystem::remove_all(dir);
}

TEST(GtfsImportTest, SeveralFeedsInOneBuilder) {
  TimetableBuilder b;
  absl::StatusOr<ImportReport> bus = ImportGtfs(kFeeds + "village", "bus", b);
  absl::StatusOr<ImportReport> rail = ImportGtfs(kFeeds + "village", "rail", b);
  ASSERT_TRUE(bus.ok() && rail.ok());
  absl::StatusOr<ImportReport> again = ImportGtfs(kFeeds + "village", "bus", b);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(again.status().message(), HasSubstr("already loaded"));
  EXPECT_EQ(ImportGtfs(kFeeds + "village", "bad:name", b).status().code(),
            absl::StatusCode::kInvalidArgument);
  ImportReport total = *bus;
  total.Merge(*rail);
  EXPECT_EQ(total.feeds, 2u);
  EXPECT_EQ(total.stops, 12u);
  absl::StatusOr<Timetable> t = std::move(b).Build(FootpathOptions{});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->feeds.size(), 2u);
  EXPECT_EQ(t->num_stops(), 12u);
  EXPECT_NE(TripById(*t, "bus:36_0612"), nullptr);
  EXPECT_NE(TripById(*t, "rail:36_0612"), nullptr);
  EXPECT_NE(TripById(*t, "bus:36_0612")->service, TripById(*t, "rail:36_0612")->service);
  EXPECT_EQ(t->services[TripById(*t, "rail:36_0612")->service].id, "rail:WD");
  // The two feeds' copies of one stop are 0 m apart: a generated footpath joins them.
  EXPECT_EQ(FootpathsFrom(*t, StopById(*t, "bus:ZNO")).count(StopById(*t, "rail:ZNO")), 1u);
  // The feeds' stops are distinct, so are their routes.
  EXPECT_EQ(t->num_routes(), 6u);
}

TEST(GtfsImportTest, NonexistentPathIsNotFound) {
  TimetableBuilder b;
  EXPECT_EQ(ImportGtfs(kFeeds + "no_such_feed.zip", "x", b).status().code(),
            absl::StatusCode::kNotFound);
}

bool HasWarning(const ImportReport& r, const std::string& file, int line, const std::string& text) {
  for (const ImportWarning& w : r.warnings) {
    if (w.file == file && w.line == line && w.message.find(text) != std::string::npos) {
      return true;
    }
  }
  return false;
}

TEST(GtfsImportTest, RepairableFeedIsRepairedWithWarnings) {
  TimetableBuilder b;
  absl::StatusOr<ImportReport> r = ImportGtfs(kFeeds + "repairable", "r", b);
  ASSERT_TRUE(r.ok()) << r.status();
  for (const ImportWarning& w : r->warnings) {
    SCOPED_TRACE(absl::StrCat(w.file, ":", w.line, ": ", w.message));
  }
  EXPECT_TRUE(HasWarning(*r, "stops.txt", 5, "duplicate stop_id 'Q'"));
  EXPECT_TRUE(HasWarning(*r, "stop_times.txt", 3, "'unsorted': stop_times not in stop_sequence"));
  EXPECT_TRUE(HasWarning(*r, "stop_times.txt", 4, "'unsorted': a call has only"));
  EXPECT_TRUE(HasWarning(*r, "stop_times.txt", 6, "'interp': calls without times"));
  EXPECT_TRUE(HasWarning(*r, "stop_times.txt", 8, "'single' has only one call"));
  EXPECT_TRUE(HasWarning(*r, "trips.txt", 5, "'nocalls' has no stop_times"));
  EXPECT_TRUE(HasWarning(*r, "transfers.txt", 0, "no transfers.txt"));
  EXPECT_EQ(r->num_warnings, 7u);
  EXPECT_EQ(r->stops, 4u);
  EXPECT_EQ(r->dropped_trips, 2u);
  EXPECT_EQ(r->interpolated_calls, 1u);
  EXPECT_EQ(r->frequency_trips, 4u + 3u);
  EXPECT_EQ(r->trips, 2u + 7u);

  absl::StatusOr<Timetable> t = std::move(b).Build(FootpathOptions{});
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->feeds[0].agencies, std::vector<std::string>{"Regiobus \"Oost\", Aalst"});
  EXPECT_EQ(t->stops[StopById(*t, "r:P")].name, "Plein, Aalst");
  EXPECT_EQ(t->stops[StopById(*t, "r:Q")].name, "Kouter");  // the first row wins

  std::vector<Call> unsorted = TripCalls(*t, "r:unsorted");
  ASSERT_EQ(unsorted.size(), 3u);
  EXPECT_EQ(unsorted[0].stop, "r:P");
  EXPECT_EQ(unsorted[0].flags, kNoDropoff);
  EXPECT_EQ(unsorted[1].stop, "r:Q");
  EXPECT_EQ(unsorted[1].departure, T(8, 10));  // copied from the arrival
  EXPECT_EQ(unsorted[2].stop, "r:R");

  std::vector<Call> interp = TripCalls(*t, "r:interp");
  ASSERT_EQ(interp.size(), 3u);
  EXPECT_NEAR(interp[1].arrival, T(7, 10), 1);  // Q is halfway between P and R
  EXPECT_EQ(interp[1].arrival, interp[1].departure);

  EXPECT_TRUE(TripCalls(*t, "r:single").empty());
  EXPECT_TRUE(TripCalls(*t, "r:tram_freq").empty());  // the template itself is not a trip
  std::vector<Call> f = TripCalls(*t, "r:tram_freq@06:45:00");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].departure, T(6, 45));
  EXPECT_EQ(f[1].arrival, T(6, 49));
  EXPECT_EQ(f[1].departure, T(6, 50));
  EXPECT_FALSE(TripCalls(*t, "r:tram_freq@06:00:00").empty());
  EXPECT_TRUE(TripCalls(*t, "r:tram_freq@07:00:00").empty());  // end_time is exclusive
  EXPECT_FALSE(TripCalls(*t, "r:tram_inexact@22:40:00").empty());
  const TripInfo* tram = TripById(*t, "r:tram_freq@06:15:00");
  ASSERT_NE(tram, nullptr);
  EXPECT_EQ(tram->mode, RouteMode::kTram);  // extended type 900
  EXPECT_EQ(tram->short_name, "Sneltram");  // long name when the short one is empty
  // Generated footpath P <-> S (about 30 m).
  EXPECT_EQ(FootpathsFrom(*t, StopById(*t, "r:P")).count(StopById(*t, "r:S")), 1u);
}

// A feed written on the fly: a station with two platforms 500 m apart (beyond the
// generated footpath radius) and a boarding area.
std::vector<std::pair<std::string, std::string>> StationFeed(const std::string& second_call) {
  return {
      {"agency.txt", "agency_name\nRail\n"},
      {"stops.txt",
       "stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station\n"
       "GSP,Gent-Sint-Pieters,51.0357,3.7108,1,\n"
       "GSP1,Perron 1,51.0357,3.7108,0,GSP\n"
       "GSP12,Perron 12,51.0402,3.7108,0,GSP\n"
       "GSP12B,Perron 12 zone B,,,4,GSP12\n"
       "AAL,Aalst,50.9425,4.0390,0,\n"},
      {"routes.txt", "route_id,route_short_name,route_type\nIC,IC 1,2\n"},
      {"trips.txt", "route_id,service_id,trip_id\nIC,D,t1\n"},
      {"calendar_dates.txt", "service_id,date,exception_type\nD,20261123,1\n"},
      {"stop_times.txt",
       "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
       "t1,07:00:00,07:00:00,AAL,1\n"
       "t1,07:20:00,07:20:00," +
           second_call + ",2\n"},
  };
}

TEST(GtfsImportTest, StationPlatformsAndBoardingAreas) {
  const std::string dir = TempDir("station");
  ASSERT_TRUE(WriteDirectory(dir + "/ok", StationFeed("GSP12B")).ok());
  TimetableBuilder b;
  absl::StatusOr<ImportReport> r = ImportGtfs(dir + "/ok", "nmbs", b);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->stops, 3u);
  EXPECT_EQ(r->stations, 1u);
  absl::StatusOr<Timetable> t = std::move(b).Build(FootpathOptions{});
  ASSERT_TRUE(t.ok());
  // The boarding area stands for its platform.
  std::vector<Call> calls = TripCalls(*t, "nmbs:t1");
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[1].stop, "nmbs:GSP12");
  EXPECT_EQ(TripById(*t, "nmbs:t1")->mode, RouteMode::kRail);
  // Platforms of one station are joined by walking even 500 m apart: 500 m * 1.3 at
  // 4.8 km/h = 487.5 s.
  const StopIndex p1 = StopById(*t, "nmbs:GSP1"), p12 = StopById(*t, "nmbs:GSP12");
  EXPECT_NEAR(FootpathsFrom(*t, p1).at(p12), 488, 2);
  EXPECT_NEAR(FootpathsFrom(*t, p12).at(p1), 488, 2);

  // A vehicle calling at the station itself is refused.
  ASSERT_TRUE(WriteDirectory(dir + "/bad", StationFeed("GSP")).ok());
  TimetableBuilder b2;
  absl::StatusOr<ImportReport> bad = ImportGtfs(dir + "/bad", "nmbs", b2);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(),
              HasSubstr("stop_times.txt:3: field stop_id: stop 'GSP' has location_type 1"));
  std::filesystem::remove_all(dir);
}

struct BrokenCase {
  std::string feed;
  absl::StatusCode code;
  std::vector<std::string> message_parts;
};

class BrokenFeedTest : public ::testing::TestWithParam<BrokenCase> {};

TEST_P(BrokenFeedTest, RefusedWithFileLineAndField) {
  const BrokenCase& c = GetParam();
  for (bool zipped : {false, true}) {
    SCOPED_TRACE(zipped ? "zip" : "directory");
    std::string path = kFeeds + c.feed;
    std::string dir;
    if (zipped) {
      dir = TempDir(c.feed);
      path = dir + "/" + c.feed + ".zip";
      ZipDirectory(kFeeds + c.feed, path);
    }
    TimetableBuilder b;
    absl::StatusOr<ImportReport> r = ImportGtfs(path, "b", b);
    EXPECT_EQ(r.status().code(), c.code) << r.status();
    for (const std::string& part : c.message_parts) {
      EXPECT_THAT(r.status().message(), HasSubstr(part));
    }
    if (!dir.empty()) std::filesystem::remove_all(dir);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Feeds, BrokenFeedTest,
    ::testing::Values(
        BrokenCase{"broken_missing_file",
                   absl::StatusCode::kInvalidArgument,
                   {"required file stop_times.txt is missing"}},
        BrokenCase{"broken_time",
                   absl::StatusCode::kInvalidArgument,
                   {"stop_times.txt:6: field departure_time: '25:6x:00' is not a time HH:MM:SS"}},
        BrokenCase{"broken_date",
                   absl::StatusCode::kInvalidArgument,
                   {"calendar.txt:3: field end_date: '20261332' is not a date YYYYMMDD"}},
        BrokenCase{"broken_number",
                   absl::StatusCode::kInvalidArgument,
                   {"stops.txt:6: field stop_lat: '51.05x' is not a number"}},
        BrokenCase{"broken_stop_ref",
                   absl::StatusCode::kInvalidArgument,
                   {"stop_times.txt:17: field stop_id: unknown stop 'KERK'"}},
        BrokenCase{"broken_trip_ref",
                   absl::StatusCode::kInvalidArgument,
                   {"stop_times.txt:9: field trip_id: unknown trip '36_0713'"}},
        BrokenCase{"broken_service_ref",
                   absl::StatusCode::kInvalidArgument,
                   {"trips.txt:5: field service_id: unknown service 'SU'"}},
        BrokenCase{"broken_route_ref",
                   absl::StatusCode::kInvalidArgument,
                   {"trips.txt:7: field route_id: unknown route '53'"}},
        BrokenCase{"broken_column",
                   absl::StatusCode::kInvalidArgument,
                   {"stops.txt:1: field stop_lon: required column is missing"}},
        BrokenCase{"broken_order",
                   absl::StatusCode::kInvalidArgument,
                   {"stop_times.txt:10: field arrival_time: '07:20:00' is before the departure "
                    "07:25:00",
                    "'36_0712'"}},
        BrokenCase{"broken_quote",
                   absl::StatusCode::kInvalidArgument,
                   {"routes.txt:3: field route_long_name: unterminated quoted value"}},
        BrokenCase{"broken_transfer_ref",
                   absl::StatusCode::kInvalidArgument,
                   {"transfers.txt:4: field to_stop_id: unknown stop 'MAR3'"}}),
    [](const ::testing::TestParamInfo<BrokenCase>& p) { return p.param.feed; });

}  // namespace
}  // namespace carvematch::transit
