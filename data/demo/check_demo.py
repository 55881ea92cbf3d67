#!/usr/bin/env python3
"""Checks the demo data set in data/demo/ (standard library only).

Usage:
    python3 data/demo/check_demo.py [ESCO_DIR]

ESCO_DIR holds the official ESCO v1.1.1 CSV release zips (default: ../shared/data/esco
relative to the repository root). The script reads skills_en.csv and occupations_en.csv
from the zips without unpacking them and checks that:

  * every file only uses fields of the carvematch.v1 protobuf JSON mapping
    (lowerCamelCase) and valid enum names; no personal fields (name, gender, ...);
  * every skill and occupation URI exists in ESCO v1.1.1;
  * ids are valid ([a-z0-9-], 1..63, not starting with '-') and unique in their scope;
  * every vacancy names an existing employer and one of its sites;
  * task hours add up to at most the vacancy's hours per week, and the shifts offer at
    least those hours;
  * weekly spans end after they start and last at most 24 h;
  * coordinates lie in Flanders (lat 50.6..51.6, lon 2.5..5.95);
  * levels, hours and counts are in range; Dutch *Text levels are CEFR or Flemish;
  * participants.csv (the bulk-import example) follows the documented columns.

Exits 0 when everything passes, 1 with a list of problems otherwise.
"""

import csv
import datetime
import io
import json
import os
import re
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_ESCO_DIR = os.path.join(REPO_ROOT, '..', 'shared', 'data', 'esco')

ID_RE = re.compile(r'^[a-z0-9][a-z0-9-]{0,62}$')
SKILL_PREFIX = 'http://data.europa.eu/esco/skill/'
OCCUPATION_PREFIX = 'http://data.europa.eu/esco/occupation/'

WEEKDAYS = {'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'}
TRANSPORT_MODES = {'WALK', 'BIKE', 'E_BIKE', 'MOPED', 'CAR', 'PUBLIC_TRANSPORT'}
CEFR = {'A1', 'A2', 'B1', 'B2', 'C1', 'C2'}
LEVEL_TEXTS = CEFR | {'1.1', '1.2', '2', '3', '4'}
EVIDENCE = {'DIPLOMA', 'WORK', 'VOLUNTEERING', 'CARE', 'YOUTH_WORK', 'HOBBY',
            'WORKSHOP_OBSERVATION', 'TRAINING', 'PARTIAL_CERTIFICATE', 'FOREIGN_DIPLOMA'}
OUTCOMES = {'PAID_JOB', 'TEMP_WORK', 'IBO', 'INTERNSHIP', 'VOLUNTEERING_WORK', 'WIJKWERKEN',
            'ARTICLE_60', 'SOCIAL_ECONOMY'}
CONTRACTS = {'DAY_CONTRACT', 'TEMP', 'FIXED_TERM', 'OPEN_ENDED'}
ACCOMMODATIONS = {'LANGUAGE_COACHING', 'MENTOR', 'FLEXIBLE_START', 'COMPANY_TRANSPORT',
                  'CARPOOL', 'BIKE_LEASE', 'CHILDCARE_SUPPORT', 'WORKPLACE_LEARNING'}
TIMES_OF_DAY = {'DAY', 'EARLY', 'LATE', 'NIGHT'}
DIPLOMAS = {'NO_DIPLOMA', 'PRIMARY', 'LOWER_SECONDARY', 'SECONDARY', 'BACHELOR', 'MASTER'}
STATUSES = {'OPEN', 'CLOSED'}
SECTOR_RE = re.compile(r'^[A-U][0-9]{2}$')

# Allowed JSON keys per message (protobuf JSON mapping of carvematch.v1).
KEYS = {
    'GeoPoint': {'lat', 'lon'},
    'Location': {'point', 'municipality', 'postalCode'},
    'WeeklySpan': {'day', 'startMinute', 'endMinute'},
    'LanguageLevels': {'listening', 'reading', 'speaking', 'writing', 'listeningText',
                       'readingText', 'speakingText', 'writingText'},
    'SkillRequirement': {'skillUri', 'level', 'essential'},
    'SkillClaim': {'skillUri', 'level', 'source', 'note'},
    'OtherLanguage': {'code', 'level'},
    'Childcare': {'label', 'location', 'openingHours'},
    'FunctionalCapacities': {'maxLiftKg', 'noProlongedStanding', 'noNightWork',
                             'noCustomerContact', 'noWorkingAlone', 'digitalTools'},
    'ConsentSettings': {'shareAnonymousCard', 'shareWithEmployersAfterMatch'},
    'Participant': {'id', 'organisationId', 'home', 'transportModes', 'licences',
                    'maxCommuteMinutes', 'availability', 'childcare', 'minHoursPerWeek',
                    'maxHoursPerWeek', 'skills', 'dutch', 'otherLanguages', 'capacities',
                    'exclusions', 'wantedSectors', 'avoidedSectors', 'wantedOccupations',
                    'avoidedOccupations', 'targetOutcomes', 'consent', 'jobSeekerSince'},
    'Site': {'id', 'name', 'location'},
    'Employer': {'id', 'organisationId', 'displayName', 'sector', 'sites'},
    'Task': {'id', 'description', 'hoursPerWeek', 'skills', 'dutch', 'liftKg',
             'prolongedStanding', 'licence', 'reservedToQualification', 'timeOfDay',
             'alongsideColleagues', 'customerContact', 'digitalTools'},
    'StatedRequirements': {'diploma', 'dutch', 'licences', 'experienceYears', 'skills'},
    'Vacancy': {'id', 'employerId', 'siteId', 'title', 'occupationUri', 'shifts',
                'hoursPerWeek', 'contractType', 'outcome', 'unpredictableSchedule', 'stated',
                'tasks', 'accommodations', 'workSettings', 'capacity', 'hourlyCostEur',
                'status'},
}

# Personal data that must never appear in the demo (the API has no such fields either).
FORBIDDEN_KEYS = {'name', 'firstName', 'lastName', 'gender', 'sex', 'nationality',
                  'religion', 'diagnosis', 'criminalRecord', 'photo', 'birthDate', 'age',
                  'email', 'phone', 'address'}

CSV_COLUMNS = ['id', 'organisation_id', 'municipality', 'lat', 'lon', 'transport_modes',
               'licences', 'max_commute_minutes', 'min_hours', 'max_hours', 'dutch_listening',
               'dutch_reading', 'dutch_speaking', 'dutch_writing', 'skills', 'target_outcomes',
               'share_anonymous_card']


class Checker:
    def __init__(self, skills, occupations):
        self.skills = skills
        self.occupations = occupations
        self.errors = []

    def err(self, path, msg):
        self.errors.append('%s: %s' % (path, msg))

    # ---- generic helpers ----
    def keys(self, obj, message, path):
        if not isinstance(obj, dict):
            self.err(path, 'expected an object (%s)' % message)
            return False
        for k in obj:
            if k in KEYS[message]:
                continue
            if k in FORBIDDEN_KEYS:
                self.err('%s.%s' % (path, k), 'personal field is not allowed')
            else:
                self.err('%s.%s' % (path, k), 'not a field of %s' % message)
        return True

    def id(self, value, path):
        if not isinstance(value, str) or not ID_RE.match(value):
            self.err(path, '%r is not a valid id (1-63 of a-z, 0-9, "-")' % (value,))

    def enum(self, value, allowed, path):
        if value not in allowed:
            self.err(path, '%r is not one of %s' % (value, sorted(allowed)))

    def number(self, value, lo, hi, path, integer=False):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if ok and integer:
            ok = isinstance(value, int)
        if not ok or not lo <= value <= hi:
            self.err(path, '%r is outside %s..%s' % (value, lo, hi))
            return False
        return True

    def skill_uri(self, uri, path):
        if not isinstance(uri, str) or not uri.startswith(SKILL_PREFIX):
            self.err(path, '%r is not an ESCO skill URI' % (uri,))
        elif uri not in self.skills:
            self.err(path, '%s does not exist in ESCO v1.1.1 skills' % uri)

    def occupation_uri(self, uri, path):
        if not isinstance(uri, str) or not uri.startswith(OCCUPATION_PREFIX):
            self.err(path, '%r is not an ESCO occupation URI' % (uri,))
        elif uri not in self.occupations:
            self.err(path, '%s does not exist in ESCO v1.1.1 occupations' % uri)

    def location(self, loc, path, require_municipality=True):
        if not self.keys(loc, 'Location', path):
            return
        point = loc.get('point')
        if self.keys(point, 'GeoPoint', path + '.point'):
            lat, lon = point.get('lat'), point.get('lon')
            self.number(lat, 50.6, 51.6, path + '.point.lat')
            self.number(lon, 2.5, 5.95, path + '.point.lon')
        if require_municipality and not loc.get('municipality'):
            self.err(path + '.municipality', 'municipality is required')
        postal = loc.get('postalCode')
        if postal is not None and not re.match(r'^[89][0-9]{3}$|^[1-3][0-9]{3}$', postal):
            self.err(path + '.postalCode', '%r is not a Flemish postal code' % postal)

    def spans(self, spans, path, required=False):
        if spans is None:
            if required:
                self.err(path, 'at least one span is required')
            return 0.0
        if not isinstance(spans, list) or (required and not spans):
            self.err(path, 'at least one span is required')
            return 0.0
        total = 0.0
        for i, s in enumerate(spans):
            p = '%s[%d]' % (path, i)
            if not self.keys(s, 'WeeklySpan', p):
                continue
            self.enum(s.get('day'), WEEKDAYS, p + '.day')
            start, end = s.get('startMinute', 0), s.get('endMinute', 0)
            if not self.number(start, 0, 1439, p + '.startMinute', integer=True):
                continue
            if not isinstance(end, int) or end <= start:
                self.err(p + '.endMinute', 'ends (%r) before it starts (%r)' % (end, start))
            elif end - start > 1440:
                self.err(p + '.endMinute', 'a span lasts at most 24 hours')
            else:
                total += (end - start) / 60.0
        return total

    def language(self, levels, path):
        if levels is None:
            return
        if not self.keys(levels, 'LanguageLevels', path):
            return
        for skill in ('listening', 'reading', 'speaking', 'writing'):
            if skill in levels:
                self.enum(levels[skill], CEFR, '%s.%s' % (path, skill))
            if skill + 'Text' in levels:
                self.enum(levels[skill + 'Text'], LEVEL_TEXTS, '%s.%sText' % (path, skill))

    def requirements(self, reqs, path):
        for i, r in enumerate(reqs or []):
            p = '%s[%d]' % (path, i)
            if not self.keys(r, 'SkillRequirement', p):
                continue
            self.skill_uri(r.get('skillUri'), p + '.skillUri')
            self.number(r.get('level', 0), 0, 4, p + '.level', integer=True)

    def unique(self, ids, path, what):
        seen = set()
        for i in ids:
            if i in seen:
                self.err(path, '%s id %r used twice' % (what, i))
            seen.add(i)

    # ---- resources ----
    def employers(self, data):
        employers = {}
        items = data.get('employers')
        if not isinstance(items, list) or not items:
            self.err('employers.json', 'expected {"employers": [...]}')
            return employers
        for i, e in enumerate(items):
            p = 'employers[%d]' % i
            if not self.keys(e, 'Employer', p):
                continue
            self.id(e.get('id'), p + '.id')
            if not e.get('organisationId'):
                self.err(p + '.organisationId', 'organisation is required')
            if not e.get('displayName'):
                self.err(p + '.displayName', 'display name is required')
            if not SECTOR_RE.match(e.get('sector', '')):
                self.err(p + '.sector', '%r is not a NACE division like "Q86"' % e.get('sector'))
            sites = e.get('sites') or []
            if not sites:
                self.err(p + '.sites', 'an employer needs at least one site')
            for j, s in enumerate(sites):
                sp = '%s.sites[%d]' % (p, j)
                if not self.keys(s, 'Site', sp):
                    continue
                self.id(s.get('id'), sp + '.id')
                if not s.get('name'):
                    self.err(sp + '.name', 'site name is required')
                self.location(s.get('location'), sp + '.location')
            self.unique([s.get('id') for s in sites if isinstance(s, dict)], p + '.sites', 'site')
            employers[e.get('id')] = {s.get('id') for s in sites if isinstance(s, dict)}
        self.unique([e.get('id') for e in items if isinstance(e, dict)], 'employers', 'employer')
        return employers

    def vacancies(self, data, employers):
        items = data.get('vacancies')
        if not isinstance(items, list) or not items:
            self.err('vacancies.json', 'expected {"vacancies": [...]}')
            return
        for i, v in enumerate(items):
            p = 'vacancies[%d](%s)' % (i, v.get('id') if isinstance(v, dict) else '?')
            if not self.keys(v, 'Vacancy', p):
                continue
            self.id(v.get('id'), p + '.id')
            employer = v.get('employerId')
            if employer not in employers:
                self.err(p + '.employerId', 'no employer %r' % employer)
            elif v.get('siteId') not in employers[employer]:
                self.err(p + '.siteId', 'employer %r has no site %r' % (employer, v.get('siteId')))
            if not v.get('title'):
                self.err(p + '.title', 'title is required')
            self.occupation_uri(v.get('occupationUri'), p + '.occupationUri')
            hours = v.get('hoursPerWeek')
            hours_ok = self.number(hours, 0.5, 60, p + '.hoursPerWeek')
            shift_hours = self.spans(v.get('shifts'), p + '.shifts', required=True)
            if hours_ok and shift_hours + 0.01 < hours:
                self.err(p + '.shifts', 'shifts offer %.2f h, fewer than the %s h of the vacancy'
                         % (shift_hours, hours))
            self.enum(v.get('contractType'), CONTRACTS, p + '.contractType')
            self.enum(v.get('outcome'), OUTCOMES, p + '.outcome')
            self.enum(v.get('status', 'OPEN'), STATUSES, p + '.status')
            stated = v.get('stated', {})
            if self.keys(stated, 'StatedRequirements', p + '.stated'):
                if 'diploma' in stated:
                    self.enum(stated['diploma'], DIPLOMAS, p + '.stated.diploma')
                self.language(stated.get('dutch'), p + '.stated.dutch')
                self.number(stated.get('experienceYears', 0), 0, 40,
                            p + '.stated.experienceYears', integer=True)
                self.requirements(stated.get('skills'), p + '.stated.skills')
            tasks = v.get('tasks') or []
            if not 1 <= len(tasks) <= 8:
                self.err(p + '.tasks', '%d tasks; the demo uses 1..8 per vacancy' % len(tasks))
            total = 0.0
            for j, t in enumerate(tasks):
                tp = '%s.tasks[%d]' % (p, j)
                if not self.keys(t, 'Task', tp):
                    continue
                self.id(t.get('id'), tp + '.id')
                if not t.get('description'):
                    self.err(tp + '.description', 'description is required')
                if self.number(t.get('hoursPerWeek'), 0.25, 60, tp + '.hoursPerWeek'):
                    total += t['hoursPerWeek']
                if not t.get('skills'):
                    self.err(tp + '.skills', 'a demo task names the skills it needs')
                self.requirements(t.get('skills'), tp + '.skills')
                self.language(t.get('dutch'), tp + '.dutch')
                self.number(t.get('liftKg', 0), 0, 100, tp + '.liftKg', integer=True)
                self.number(t.get('digitalTools', 0), 0, 4, tp + '.digitalTools', integer=True)
                self.enum(t.get('timeOfDay'), TIMES_OF_DAY, tp + '.timeOfDay')
            self.unique([t.get('id') for t in tasks if isinstance(t, dict)], p + '.tasks', 'task')
            if hours_ok and total > hours + 0.01:
                self.err(p + '.tasks', 'tasks add up to %.2f h, more than the %s h of the vacancy'
                         % (total, hours))
            for j, a in enumerate(v.get('accommodations') or []):
                self.enum(a, ACCOMMODATIONS, '%s.accommodations[%d]' % (p, j))
            self.number(v.get('capacity', 1), 1, 10000, p + '.capacity', integer=True)
            self.number(v.get('hourlyCostEur', 0), 0, 200, p + '.hourlyCostEur')
        self.unique([v.get('id') for v in items if isinstance(v, dict)], 'vacancies', 'vacancy')

    def participants(self, data):
        items = data.get('participants')
        if not isinstance(items, list) or not items:
            self.err('participants.json', 'expected {"participants": [...]}')
            return []
        for i, x in enumerate(items):
            p = 'participants[%d](%s)' % (i, x.get('id') if isinstance(x, dict) else '?')
            if not self.keys(x, 'Participant', p):
                continue
            self.id(x.get('id'), p + '.id')
            if not x.get('organisationId'):
                self.err(p + '.organisationId', 'organisation is required')
            self.location(x.get('home'), p + '.home')
            modes = x.get('transportModes') or []
            if not modes:
                self.err(p + '.transportModes', 'at least one transport mode is required')
            for j, m in enumerate(modes):
                self.enum(m, TRANSPORT_MODES, '%s.transportModes[%d]' % (p, j))
            for j, lic in enumerate(x.get('licences') or []):
                if not re.match(r'^[A-Z][A-Z0-9]{0,2}$', lic):
                    self.err('%s.licences[%d]' % (p, j), '%r is not a licence category' % lic)
            self.number(x.get('maxCommuteMinutes', 0), 0, 240, p + '.maxCommuteMinutes',
                        integer=True)
            self.spans(x.get('availability'), p + '.availability')
            for j, c in enumerate(x.get('childcare') or []):
                cp = '%s.childcare[%d]' % (p, j)
                if not self.keys(c, 'Childcare', cp):
                    continue
                self.location(c.get('location'), cp + '.location', require_municipality=False)
                self.spans(c.get('openingHours'), cp + '.openingHours', required=True)
            lo, hi = x.get('minHoursPerWeek', 0), x.get('maxHoursPerWeek')
            if self.number(lo, 0, 60, p + '.minHoursPerWeek') and \
                    self.number(hi, 0.5, 60, p + '.maxHoursPerWeek') and hi < lo:
                self.err(p + '.maxHoursPerWeek', 'is below minHoursPerWeek')
            skills = x.get('skills') or []
            for j, s in enumerate(skills):
                sp = '%s.skills[%d]' % (p, j)
                if not self.keys(s, 'SkillClaim', sp):
                    continue
                self.skill_uri(s.get('skillUri'), sp + '.skillUri')
                self.number(s.get('level', 0), 0, 4, sp + '.level', integer=True)
                self.enum(s.get('source'), EVIDENCE, sp + '.source')
            uris = [s.get('skillUri') for s in skills if isinstance(s, dict)]
            if len(uris) != len(set(uris)):
                self.err(p + '.skills', 'a skill is listed twice')
            self.language(x.get('dutch'), p + '.dutch')
            for j, ol in enumerate(x.get('otherLanguages') or []):
                op = '%s.otherLanguages[%d]' % (p, j)
                if self.keys(ol, 'OtherLanguage', op):
                    if not re.match(r'^[a-z]{2}$', ol.get('code', '')):
                        self.err(op + '.code', 'ISO 639-1 code expected')
                    self.enum(ol.get('level'), CEFR, op + '.level')
            caps = x.get('capacities')
            if caps is not None and self.keys(caps, 'FunctionalCapacities', p + '.capacities'):
                if 'maxLiftKg' in caps:
                    self.number(caps['maxLiftKg'], 0, 100, p + '.capacities.maxLiftKg',
                                integer=True)
                if 'digitalTools' in caps:
                    self.number(caps['digitalTools'], 0, 4, p + '.capacities.digitalTools',
                                integer=True)
            for field in ('wantedSectors', 'avoidedSectors'):
                for j, s in enumerate(x.get(field) or []):
                    if not SECTOR_RE.match(s):
                        self.err('%s.%s[%d]' % (p, field, j), '%r is not a NACE division' % s)
            for field in ('wantedOccupations', 'avoidedOccupations'):
                for j, o in enumerate(x.get(field) or []):
                    self.occupation_uri(o, '%s.%s[%d]' % (p, field, j))
            targets = x.get('targetOutcomes') or []
            if not targets:
                self.err(p + '.targetOutcomes', 'the demo gives every participant a target')
            for j, t in enumerate(targets):
                self.enum(t, OUTCOMES, '%s.targetOutcomes[%d]' % (p, j))
            if x.get('consent') is not None:
                self.keys(x['consent'], 'ConsentSettings', p + '.consent')
            since = x.get('jobSeekerSince')
            if since is not None:
                try:
                    day = datetime.date.fromisoformat(since)
                    if day > datetime.date.today() or day.year < 1990:
                        self.err(p + '.jobSeekerSince', '%s is not a plausible past day' % since)
                except (TypeError, ValueError):
                    self.err(p + '.jobSeekerSince', '%r is not a YYYY-MM-DD day' % (since,))
        ids = [x.get('id') for x in items if isinstance(x, dict)]
        self.unique(ids, 'participants', 'participant')
        return ids

    def participants_csv(self, text, json_ids):
        rows = list(csv.reader(io.StringIO(text)))
        if not rows or rows[0] != CSV_COLUMNS:
            self.err('participants.csv', 'header must be %s' % ','.join(CSV_COLUMNS))
            return
        ids = []
        for n, row in enumerate(rows[1:], start=2):
            p = 'participants.csv line %d' % n
            if len(row) != len(CSV_COLUMNS):
                self.err(p, '%d cells, expected %d' % (len(row), len(CSV_COLUMNS)))
                continue
            r = dict(zip(CSV_COLUMNS, row))
            self.id(r['id'], p + ' id')
            ids.append(r['id'])
            if r['id'] in json_ids:
                self.err(p + ' id', '%r is already used in participants.json' % r['id'])
            if not r['organisation_id'] or not r['municipality']:
                self.err(p, 'organisation_id and municipality are required')
            try:
                self.number(float(r['lat']), 50.6, 51.6, p + ' lat')
                self.number(float(r['lon']), 2.5, 5.95, p + ' lon')
                commute = int(r['max_commute_minutes'])
                lo, hi = float(r['min_hours']), float(r['max_hours'])
            except ValueError as e:
                self.err(p, 'not a number: %s' % e)
                continue
            self.number(commute, 0, 240, p + ' max_commute_minutes')
            if not 0 <= lo <= hi <= 60 or hi <= 0:
                self.err(p, 'hours %s..%s are not a range inside 0..60' % (lo, hi))
            modes = [m for m in r['transport_modes'].split(';') if m]
            if not modes:
                self.err(p + ' transport_modes', 'at least one transport mode is required')
            for m in modes:
                self.enum(m, TRANSPORT_MODES, p + ' transport_modes')
            for lic in [x for x in r['licences'].split(';') if x]:
                if not re.match(r'^[A-Z][A-Z0-9]{0,2}$', lic):
                    self.err(p + ' licences', '%r is not a licence category' % lic)
            for col in ('dutch_listening', 'dutch_reading', 'dutch_speaking', 'dutch_writing'):
                if r[col]:
                    self.enum(r[col], LEVEL_TEXTS, '%s %s' % (p, col))
            for claim in [c for c in r['skills'].split(';') if c]:
                parts = claim.split('|')
                if len(parts) != 3:
                    self.err(p + ' skills', '%r is not "uri|level|SOURCE"' % claim)
                    continue
                self.skill_uri(parts[0], p + ' skills')
                if not parts[1].isdigit() or not 0 <= int(parts[1]) <= 4:
                    self.err(p + ' skills', 'level %r is outside 0..4' % parts[1])
                self.enum(parts[2], EVIDENCE, p + ' skills')
            for t in [x for x in r['target_outcomes'].split(';') if x]:
                self.enum(t, OUTCOMES, p + ' target_outcomes')
            self.enum(r['share_anonymous_card'], {'true', 'false'}, p + ' share_anonymous_card')
        self.unique(ids, 'participants.csv', 'participant')


def load_esco(esco_dir):
    """Returns (skill URIs, occupation URIs) read from the release zips in esco_dir."""
    wanted = {'skills_en.csv': set(), 'occupations_en.csv': set()}
    zips = sorted(f for f in os.listdir(esco_dir) if f.endswith('.zip'))
    for name in zips:
        with zipfile.ZipFile(os.path.join(esco_dir, name)) as z:
            for member in z.namelist():
                base = os.path.basename(member)
                if base in wanted:
                    with z.open(member) as f:
                        reader = csv.DictReader(io.TextIOWrapper(f, encoding='utf-8'))
                        for row in reader:
                            wanted[base].add(row['conceptUri'])
    for base, uris in wanted.items():
        if not uris:
            sys.exit('check_demo: %s not found in the zips of %s' % (base, esco_dir))
    return wanted['skills_en.csv'], wanted['occupations_en.csv']


def main(argv):
    esco_dir = argv[1] if len(argv) > 1 else DEFAULT_ESCO_DIR
    if not os.path.isdir(esco_dir):
        sys.exit('check_demo: ESCO directory %s does not exist' % esco_dir)
    skills, occupations = load_esco(esco_dir)
    checker = Checker(skills, occupations)

    def load(name):
        with open(os.path.join(HERE, name), encoding='utf-8') as f:
            return json.load(f)

    employers = checker.employers(load('employers.json'))
    vacancies = load('vacancies.json')
    checker.vacancies(vacancies, employers)
    participants = load('participants.json')
    ids = checker.participants(participants)
    with open(os.path.join(HERE, 'participants.csv'), encoding='utf-8') as f:
        checker.participants_csv(f.read(), set(ids))

    if checker.errors:
        for e in checker.errors:
            print('ERROR ' + e)
        print('check_demo: %d problem(s)' % len(checker.errors))
        return 1
    print('check_demo: OK: %d employers, %d vacancies, %d participants (+ CSV example); '
          'all ESCO URIs exist in v1.1.1' % (len(employers), len(vacancies['vacancies']),
                                             len(ids)))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
