#!/usr/bin/python3
"""Full-pass reference (issue 3, benchmark 1): the engine's matching score, every
constraint and top-k both ways, written with numpy/scipy, on the data that
bench/full_pass_bench wrote (--out_dir). Checks its top-k against the engine's and prints
the side-by-side table. bench/run_full_pass.sh runs both; docs/performance.md has the
figures. The population is complete, childcare and the flexible-start search included
(full_pass_bench --full_population=0 takes those two out; this script handles both).

The semantics are docs/matching.md's, re-derived here from the exported features (the
same ones matcher/pair_core.h computes from); the formulas keep the engine's order of
floating-point operations so that scores agree to the last bit in almost every pair.
Participants are processed in blocks (--block rows, default 500: a block's float64
temporaries are then 20 MB at m = 5,000, under glibc's 32 MiB mmap ceiling, so freed
ones are reused instead of being mapped and page-faulted again; with 1,000 rows a third
of the run was system time); per block:
  - skill coverage: one scipy.sparse product B_block (best credit per need column, CSR)
    x [R_ess; R_opt]^T, summed in float64 like the engine;
  - every constraint as a (block x m) numpy array by broadcasting (Dutch, licences,
    capacities, digital tools, exclusions, availability via the distinct availability
    masks, hours, preferences, outcome, sustainability, "aim not too low", "no
    childcare that day" with childcare support);
  - commute: haversine distance, minutes per mode (public transport only in service
    hours), fastest usable mode within the maximum, else company transport / carpool /
    bike lease when offered, and the mode the pair travels with;
  - childcare timing and the flexible-start search (class Schedule), only for the pairs
    not blocked so far that have a shift outside the availability or on a day with
    childcare: vectorised over (pair, shift) entries, then over the failing entries for
    each move of the shift (+-5 .. +-60 minutes), with every opening span of that day
    as a padded column;
  - tier: BLOCKED, else FITS_WITH_ACCOMMODATIONS when relying on one, else FITS
    (blocked pairs dropped when the bench ran with --include_blocked=0);
  - top-k per participant by np.partition on a (tier, score) key, then an exact lexsort
    of the candidates (tier, score descending, index); top-k per vacancy the same on the
    transpose, merged over the blocks.

Usage: /usr/bin/python3 bench/full_pass_reference.py DIR [--block=500] [--repeats=1]
"""

import argparse
import json
import os
import sys
import time

import numpy as np
import scipy
import scipy.sparse as sp

# Columns of p_int / v_int (bench/full_pass_bench.cc, PCol / VCol).
P_MODES, P_MAX_COMMUTE, P_ALWAYS, P_DUTCH0 = 0, 1, 2, 3
P_LICENCES, P_MAX_LIFT, P_CAPACITIES, P_DIGITAL, P_EXCLUSIONS = 7, 8, 9, 10, 11
P_STATES_WISHES, P_TARGETS, P_DEMONSTRATED = 12, 13, 14
P_HAS_CHILDCARE, P_CARE_DAYS = 15, 16
V_DUTCH0, V_LICENCES, V_MAX_LIFT, V_DEMANDS, V_DIGITAL, V_SETTINGS = 0, 4, 5, 6, 7, 8
V_SECTOR, V_OCCUPATION, V_OUTCOME, V_OFFERS = 9, 10, 11, 12
V_NEED_LEVEL_SUM, V_NEED_COUNT, V_SHIFT_COUNT = 13, 14, 15
V_SHIFT_DAYS, V_OWN_SHIFT_COUNT = 16, 17

# model/common.h enums.
WALK, BIKE, EBIKE, MOPED, CAR, PUBLIC_TRANSPORT = 1, 2, 3, 4, 5, 6
FITS, FITS_WITH_ACC, BLOCKED = 1, 2, 3
LANGUAGE_COACHING = 1 << 1
FLEXIBLE_START = 1 << 3
COMPANY_TRANSPORT = 1 << 4
CARPOOL = 1 << 5
BIKE_LEASE = 1 << 6
CHILDCARE_SUPPORT = 1 << 7
WORKPLACE_LEARNING = 1 << 8
QUARTERS_PER_WEEK = 7 * 96

EARTH_RADIUS_KM = 6371.0
RAD = np.pi / 180.0


def load(directory):
    data = {}
    for name in os.listdir(directory):
        if name.endswith(".npy"):
            data[name[:-4]] = np.load(os.path.join(directory, name))
    with open(os.path.join(directory, "meta.json")) as f:
        meta = json.load(f)
    return data, meta


def csr(indptr, indices, values, shape):
    return sp.csr_matrix((values, indices.ravel(), indptr.ravel()), shape=shape)


def top_k_rows(tier, score, key, k, row_ids):
    """Top-k of every row of (tier, score) ordered by tier, score descending, column index.

    Returns (rows, cols, tier, score) of the kept entries, sorted by row then rank;
    `row_ids` maps the block's rows to global ids (for the row sort key only)."""
    n, m = key.shape
    kk = min(k, m)
    kth = np.partition(key, kk - 1, axis=1)[:, kk - 1]
    # Candidates, ties at the k-th included; an infinite key (a blocked pair when
    # include_blocked is 0) is never one.
    rows, cols = np.nonzero((key <= kth[:, None]) & (key < np.inf))
    t = tier[rows, cols]
    s = score[rows, cols]
    order = np.lexsort((cols, -s, t, rows))
    rows, cols, t, s = rows[order], cols[order], t[order], s[order]
    starts = np.searchsorted(rows, rows, side="left")
    keep = (np.arange(rows.size) - starts) < kk
    return row_ids[rows[keep]], cols[keep], t[keep], s[keep]


def haversine_km(a_lat, a_lon, b_lat, b_lon):
    """mobility/travel.cc's HaversineKm(a, b), the same operations in the same order."""
    s_lat = np.sin((b_lat - a_lat) * RAD / 2)
    s_lon = np.sin((b_lon - a_lon) * RAD / 2)
    h = s_lat * s_lat + np.cos(a_lat * RAD) * np.cos(b_lat * RAD) * s_lon * s_lon
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))


class Schedule:
    """CompletePair's schedule and childcare timing with the flexible-start search
    (matcher/pair_core.cc), vectorised over a list of pairs.

    For every shift of the vacancy: it must lie within the availability and, when some
    childcare arrangement is open on its day, the child must be dropped off after an
    opening with time to reach the site by the start and picked up before a closing
    after the end (travel between care location and site with the pair's travel mode,
    public transport within service hours), and the day's opening hours must cover the
    time in between. A shift that fails is moved by +-step .. +-max minutes (start >= 0);
    a move that passes both makes it rely on a flexible start when the vacancy offers
    one, otherwise (or without such a move) the pair is blocked."""

    def __init__(self, d, meta, uniq_avail, avail_of):
        n = d["p_int"].shape[0]
        self.d = d
        self.first = meta["pt_first_departure"]
        self.last = meta["pt_last_departure"]
        step = max(1, meta["flexible_start_step_minutes"])
        moves = []
        for dm in range(step, meta["max_flexible_start_minutes"] + 1, step):
            moves += [dm, -dm]
        self.moves = np.array(moves, dtype=np.int64)
        # Availability: prefix sums of the distinct masks' quarters over two weeks, so a
        # span that wraps past Sunday is one range.
        bits = np.unpackbits(np.ascontiguousarray(uniq_avail).view(np.uint8), axis=1,
                             bitorder="little")[:, :QUARTERS_PER_WEEK].astype(np.int32)
        doubled = np.concatenate([bits, bits], axis=1)
        self.prefix = np.concatenate([np.zeros((bits.shape[0], 1), np.int32),
                                      np.cumsum(doubled, axis=1, dtype=np.int32)], axis=1)
        self.avail_of = avail_of
        self.always = d["p_int"][:, P_ALWAYS] != 0
        self.has_care = d["p_int"][:, P_HAS_CHILDCARE] != 0
        self.care_days = d["p_int"][:, P_CARE_DAYS]
        # Opening hours per participant and day, in the engine's order (arrangements in
        # the participant's order, each one's opening hours in order): slots of
        # (start, end, arrangement), padded.
        c_open = d["c_open"].reshape(-1, 4)
        owner = d["c_owner"].ravel()
        self.c_lat = d["c_loc"].reshape(-1, 2)[:, 0] if owner.size else np.zeros(1)
        self.c_lon = d["c_loc"].reshape(-1, 2)[:, 1] if owner.size else np.zeros(1)
        self.care_row = np.full(n, -1, dtype=np.int64)
        with_care = np.unique(owner)
        self.care_row[with_care] = np.arange(with_care.size)
        rows = max(1, with_care.size)
        count = np.zeros((rows, 7), dtype=np.int64)
        keep = c_open[:, 1] >= 0  # an opening without a day never meets a shift's day
        for arrangement, day, start, end in c_open[keep]:
            count[self.care_row[owner[arrangement]], day] += 1
        slots = max(1, int(count.max()) if count.size else 1)
        self.slot_start = np.zeros((rows, 7, slots), dtype=np.int64)
        self.slot_end = np.zeros((rows, 7, slots), dtype=np.int64)
        self.slot_loc = np.zeros((rows, 7, slots), dtype=np.int64)
        self.slot_valid = np.zeros((rows, 7, slots), dtype=bool)
        count[:] = 0
        for arrangement, day, start, end in c_open[keep]:
            r = self.care_row[owner[arrangement]]
            c = count[r, day]
            self.slot_start[r, day, c] = start
            self.slot_end[r, day, c] = end
            self.slot_loc[r, day, c] = arrangement
            self.slot_valid[r, day, c] = True
            count[r, day] += 1

    def available(self, p, day, start_minute, end_minute):
        """pair_core.cc's Available: the span's quarters within the availability."""
        ok = self.always[p] | (day < 0) | (end_minute <= start_minute)
        start = np.maximum(day, 0) * 1440 + start_minute
        end = np.maximum(day, 0) * 1440 + end_minute
        if np.any(~ok & (start < 0)):
            sys.exit("a shift starts before its day: not reproduced")
        first = start // 15
        length = np.clip((end + 14) // 15 - first, 0, QUARTERS_PER_WEEK)
        f = first % QUARTERS_PER_WEEK
        u = self.avail_of[p]
        covered = self.prefix[u, f + length] - self.prefix[u, f]
        return ok | (covered == length)

    def care_problem(self, p, site_lat, site_lon, day, start_minute, end_minute, mode):
        """pair_core.cc's CareProblem for entries whose participant has an arrangement
        open on `day`; true when drop-off, pick-up or the cover in between fails."""
        travel = self.d["travel"]
        r = self.care_row[p]
        valid = self.slot_valid[r, day]
        o_start = self.slot_start[r, day]
        o_end = self.slot_end[r, day]
        loc = self.slot_loc[r, day]
        km = haversine_km(self.c_lat[loc], self.c_lon[loc], site_lat[:, None], site_lon[:, None])
        speed = travel[mode, 0][:, None]
        detour = travel[mode, 1][:, None]
        overhead = travel[mode, 2].astype(np.int64)[:, None]
        mins = overhead + np.ceil(km * detour / speed * 60.0 - 1e-9).astype(np.int64)
        st = start_minute[:, None]
        en = end_minute[:, None]
        is_pt = (mode == PUBLIC_TRANSPORT)[:, None]
        dep = st - mins
        to_ok = ~(is_pt & (dep >= 0) & (dep < self.first))
        end_of_day = en % 1440
        back_ok = np.broadcast_to(
            ~(is_pt & ((end_of_day >= self.last) | (end_of_day < self.first))), mins.shape)
        big = np.iinfo(np.int64).max // 4
        rows = np.arange(p.size)
        earliest = np.argmin(np.where(valid, o_start, big), axis=1)  # first on a tie
        latest = np.argmax(np.where(valid, o_end, -big), axis=1)
        drop_ok = valid & to_ok & (o_start + mins <= st) & (o_end > st - mins)
        pick_ok = valid & back_ok & (en + mins <= o_end) & (o_start < en + mins)
        drop_off = np.min(np.where(drop_ok, st - mins, big), axis=1)
        pick_up = np.max(np.where(pick_ok, en + mins, -big), axis=1)
        # The day's opening hours together must cover drop-off to pick-up: the first
        # uncovered minute from drop-off on (half-open spans; the order does not matter).
        covered = drop_off.copy()
        for _ in range(valid.shape[1] + 1):
            for c in range(valid.shape[1]):
                ext = valid[:, c] & (o_start[:, c] <= covered) & (o_end[:, c] > covered)
                covered = np.where(ext, o_end[:, c], covered)
        problem = (~to_ok[rows, earliest] | ~back_ok[rows, latest] | ~drop_ok.any(axis=1) |
                   ~pick_ok.any(axis=1) | (covered < pick_up))
        return problem & valid.any(axis=1)

    def fits(self, p, v, mode, day, care_open, start_minute, end_minute, site_lat, site_lon):
        """Entries (p, v, a shift of v on `day`): within the availability and, with an
        arrangement open that day, no childcare timing problem."""
        ok = self.available(p, day, start_minute, end_minute)
        c = np.nonzero(ok & care_open)[0]
        if c.size:
            ok[c] = ~self.care_problem(p[c], site_lat[v[c]], site_lon[v[c]], day[c],
                                       start_minute[c], end_minute[c], mode[c])
        return ok

    def check(self, p, v, mode, own_shifts, own_count, flexible, site_lat, site_lon):
        """For pairs (p[e], v[e]) with travel mode mode[e]: (blocked, relies on a
        flexible start)."""
        blocked = np.zeros(p.size, dtype=bool)
        flex = np.zeros(p.size, dtype=bool)
        for t in range(own_shifts.shape[1] // 3):
            e = np.nonzero(t < own_count[v])[0]
            if e.size == 0:
                continue
            pe, ve, me = p[e], v[e], mode[e]
            day = own_shifts[ve, 3 * t]
            st = own_shifts[ve, 3 * t + 1]
            en = own_shifts[ve, 3 * t + 2]
            care_open = self.has_care[pe] & (day >= 0) & (
                ((self.care_days[pe] >> np.maximum(day, 0)) & 1) != 0)
            fail = np.nonzero(~self.fits(pe, ve, me, day, care_open, st, en, site_lat,
                                         site_lon))[0]
            if fail.size == 0:
                continue
            # The flexible-start search: does any move fit (which one does not matter
            # for tier and score)? Without a flexible start offered the pair is blocked
            # either way, so only those vacancies' entries are searched, all moves at once.
            search = fail[flexible[ve[fail]]]
            blocked[e[fail[~flexible[ve[fail]]]]] = True
            fail = search
            f = np.repeat(fail, self.moves.size)
            st_m = st[f] + np.tile(self.moves, fail.size)
            en_m = en[f] + np.tile(self.moves, fail.size)
            sel = np.nonzero(st_m >= 0)[0]
            ok = np.zeros(f.size, dtype=bool)
            f = f[sel]
            ok[sel] = self.fits(pe[f], ve[f], me[f], day[f], care_open[f], st_m[sel], en_m[sel],
                                site_lat, site_lon)
            found = ok.reshape(fail.size, self.moves.size).any(axis=1)
            flex[e[fail[found]]] = True
            blocked[e[fail[~found]]] = True
        return blocked, flex & ~blocked


def reference(d, meta, block):
    n, m, k = meta["n"], meta["m"], meta["k"]
    K = meta["need_columns"]
    p_int, v_int = d["p_int"], d["v_int"]
    include_blocked = meta.get("include_blocked", 1) != 0

    # ---- Per-side preparation.
    B = csr(d["b_indptr"], d["b_indices"], d["b_data"].ravel().astype(np.float64), (n, K))
    r_ess = csr(d["r_ess_indptr"], d["r_ess_indices"],
                np.ones(d["r_ess_indices"].size), (m, K))
    r_opt = csr(d["r_opt_indptr"], d["r_opt_indices"],
                np.ones(d["r_opt_indices"].size), (m, K))
    RT = sp.vstack([r_ess, r_opt]).T.tocsr()  # K x 2m
    count_ess = np.diff(d["r_ess_indptr"].ravel()).astype(np.float64)
    count_opt = np.diff(d["r_opt_indptr"].ravel()).astype(np.float64)

    offers = v_int[:, V_OFFERS]
    lc_offered = (offers & LANGUAGE_COACHING) != 0
    wl_offered = (offers & WORKPLACE_LEARNING) != 0
    ct_offered = (offers & COMPANY_TRANSPORT) != 0
    shared_offered = ct_offered | ((offers & CARPOOL) != 0)
    bl_offered = (offers & BIKE_LEASE) != 0
    flexible = (offers & FLEXIBLE_START) != 0
    support_offered = (offers & CHILDCARE_SUPPORT) != 0
    v_shift_days = v_int[:, V_SHIFT_DAYS]
    shared_acc = np.where(ct_offered, COMPANY_TRANSPORT, CARPOOL)
    v_hours, v_sus = d["v_real"][:, 0], d["v_real"][:, 1]
    v_occ = v_int[:, V_OCCUPATION]
    need_sum, need_count = v_int[:, V_NEED_LEVEL_SUM], v_int[:, V_NEED_COUNT]

    # Availability: the distinct availability masks x all vacancies' shift unions.
    uniq, avail_of = np.unique(d["p_avail"], axis=0, return_inverse=True)
    avail_of = avail_of.ravel()
    fits_avail = np.all((d["v_all_shifts"][None, :, :] & ~uniq[:, None, :]) == 0, axis=2)
    schedule = Schedule(d, meta, uniq, avail_of)
    own_shifts, own_count = d["v_own_shifts"], v_int[:, V_OWN_SHIFT_COUNT]

    # Public transport: the trip back is a matter of the shift's end alone; the trip
    # there depends on the travel time (departure in 00:00-05:00 has no service).
    first, last = meta["pt_first_departure"], meta["pt_last_departure"]
    shifts = d["v_shifts"]
    n_shifts = shifts.shape[1] // 2
    starts = shifts[:, 0::2]
    ends = shifts[:, 1::2]
    valid = np.arange(n_shifts)[None, :] < v_int[:, V_SHIFT_COUNT][:, None]
    end_of_day = ends % 1440
    pt_back_ok = np.all(~valid | ((end_of_day < last) & (end_of_day >= first)), axis=1)

    travel = d["travel"]
    site_lat, site_lon = d["v_site"][:, 0], d["v_site"][:, 1]
    cos_site = np.cos(site_lat * RAD)

    p_for_rows = []
    v_cands = []
    stats = {"schedule_checked": 0, "schedule_blocked": 0, "flexible_start": 0,
             "schedule_seconds": 0.0}
    for lo in range(0, n, block):
        hi = min(n, lo + block)
        ids = np.arange(lo, hi)
        pi = p_int[lo:hi]
        acc = np.zeros((hi - lo, m), dtype=np.int64)

        # Skills.
        S = (B[lo:hi] @ RT).toarray()
        with np.errstate(divide="ignore", invalid="ignore"):
            cov_e = np.where(count_ess > 0, np.minimum(1.0, S[:, :m] / count_ess), 1.0)
            cov_o = np.where(count_opt > 0, np.minimum(1.0, S[:, m:] / count_opt), 1.0)
        cov_e = cov_e.astype(np.float32).astype(np.float64)
        cov_o = cov_o.astype(np.float32).astype(np.float64)
        skills = 50.0 * (0.8 * cov_e + 0.2 * cov_o)
        del S, cov_e, cov_o

        # Dutch.
        lang_sum = np.zeros((hi - lo, m))
        blocked = np.zeros((hi - lo, m), dtype=bool)
        for li in range(4):
            need = v_int[:, V_DUTCH0 + li][None, :]
            gap = need - pi[:, P_DUTCH0 + li][:, None]
            ok = (need == 0) | (gap <= 0)
            half = ~ok & (gap == 1) & lc_offered[None, :]
            blocked |= ~ok & ~half
            lang_sum += np.where(ok, 1.0, np.where(half, 0.5, 0.0))
            acc |= np.where(half, LANGUAGE_COACHING, 0)
        language = 15.0 * lang_sum / 4

        # Hours.
        p_lo = d["p_hours"][lo:hi, 0][:, None]
        p_hi = d["p_hours"][lo:hi, 1][:, None]
        vh = v_hours[None, :]
        within = (vh <= 0) | ((vh >= p_lo) & (vh <= p_hi))
        with np.errstate(divide="ignore", invalid="ignore"):
            off = np.where(vh < p_lo, (p_lo - vh) / p_lo, (vh - p_hi) / np.maximum(p_hi, 1.0))
        frac = meta["hours_blocker_fraction"]
        hours = np.where(within, 10.0, np.where(off <= frac, 10.0 * (1.0 - off / frac), 0.0))
        blocked |= ~within & ~(off <= frac)

        # Preferences, outcome, penalty.
        sector = d["p_sector_pref"][lo:hi][:, v_int[:, V_SECTOR]]
        targets = pi[:, P_TARGETS][:, None]
        outcome_ok = (targets == 0) | (((targets >> v_int[:, V_OUTCOME][None, :]) & 1) != 0)
        avoided_occ = np.zeros((hi - lo, m), dtype=bool)
        for c in range(d["p_avoided_occ"].shape[1]):
            avoided_occ |= (d["p_avoided_occ"][lo:hi, c][:, None] == v_occ[None, :]) & (
                v_occ[None, :] >= 0)
        wanted_occ = np.zeros((hi - lo, m), dtype=bool)
        for c in range(d["p_wanted_occ"].shape[1]):
            wanted_occ |= (d["p_wanted_occ"][lo:hi, c][:, None] == v_occ[None, :]) & (
                v_occ[None, :] >= 0)
        avoided = ((sector & 2) != 0) | avoided_occ
        wanted = ((sector & 1) != 0) | wanted_occ
        pref = np.where(outcome_ok, 4.0, 0.0)
        states = (pi[:, P_STATES_WISHES] != 0)[:, None]
        pref = np.where(avoided, 0.0, np.where(wanted, pref + 6, np.where(states, pref, pref + 3)))
        penalty = np.where(avoided, meta["avoided_penalty"], 0.0)

        # Sustainability and "aim not too low".
        dem = pi[:, P_DEMONSTRATED][:, None]
        too_low = (dem >= 3) & (need_count[None, :] > 0) & (
            dem * need_count[None, :] - need_sum[None, :] >= 2 * need_count[None, :])
        sustainability = v_sus[None, :] - np.where(too_low, meta["aim_too_low_penalty"], 0.0)

        # Licences, capacities, digital tools, exclusions, availability.
        blocked |= (v_int[:, V_LICENCES][None, :] & ~pi[:, P_LICENCES][:, None]) != 0
        v_lift = v_int[:, V_MAX_LIFT][None, :]
        p_lift = pi[:, P_MAX_LIFT][:, None]
        blocked |= (v_lift > 0) & (p_lift >= 0) & (v_lift > p_lift)
        blocked |= (v_int[:, V_DEMANDS][None, :] & ~pi[:, P_CAPACITIES][:, None]) != 0
        v_dig = v_int[:, V_DIGITAL][None, :]
        gap = v_dig - pi[:, P_DIGITAL][:, None]
        learn = (v_dig > 0) & (gap == 1) & wl_offered[None, :]
        acc |= np.where(learn, WORKPLACE_LEARNING, 0)
        blocked |= (v_dig > 0) & (gap > 0) & ~learn
        blocked |= (v_int[:, V_SETTINGS][None, :] & pi[:, P_EXCLUSIONS][:, None]) != 0
        # Schedule without the childcare timing: a shift outside the availability blocks
        # unless the vacancy offers a flexible start (then the search below decides); a
        # shift on a day no arrangement is open relies on childcare support or blocks.
        schedule_fails = ~((pi[:, P_ALWAYS] != 0)[:, None] | fits_avail[avail_of[lo:hi]])
        blocked |= schedule_fails & ~flexible[None, :]
        has_care = (pi[:, P_HAS_CHILDCARE] != 0)[:, None]
        care_days = pi[:, P_CARE_DAYS][:, None]
        no_care_day = has_care & ((v_shift_days[None, :] & ~care_days) != 0)
        acc |= np.where(no_care_day & support_offered[None, :], CHILDCARE_SUPPORT, 0)
        blocked |= no_care_day & ~support_offered[None, :]

        # Commute (mobility/travel.cc's geometric model, the same operations).
        home_lat = d["p_home"][lo:hi, 0][:, None]
        home_lon = d["p_home"][lo:hi, 1][:, None]
        s_lat = np.sin((site_lat[None, :] - home_lat) * RAD / 2)
        s_lon = np.sin((site_lon[None, :] - home_lon) * RAD / 2)
        h = s_lat * s_lat + np.cos(home_lat * RAD) * cos_site[None, :] * s_lon * s_lon
        del s_lat
        km = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
        del h, s_lon
        modes = pi[:, P_MODES][:, None]
        max_commute = pi[:, P_MAX_COMMUTE][:, None]
        inf = np.iinfo(np.int64).max
        best = np.full((hi - lo, m), inf, dtype=np.int64)
        best_mode = np.full((hi - lo, m), WALK, dtype=np.int64)
        minutes = {}
        for mode in (WALK, BIKE, EBIKE, MOPED, CAR, PUBLIC_TRANSPORT):
            speed, detour, overhead = travel[mode]
            mins = int(overhead) + np.ceil(km * detour / speed * 60.0 - 1e-9).astype(np.int64)
            minutes[mode] = mins
            usable = ((modes >> mode) & 1) != 0
            if mode == PUBLIC_TRANSPORT:
                dep = starts[None, :, :] - mins[:, :, None]
                no_service = valid[None, :, :] & (dep >= 0) & (dep < first)
                usable = usable & ~np.any(no_service, axis=2) & pt_back_ok[None, :]
                del dep, no_service
            better = usable & (mins < best)
            best = np.where(better, mins, best)
            best_mode = np.where(better, mode, best_mode)
            del better
        fits_commute = best <= max_commute
        car, ebike = minutes[CAR], minutes[EBIKE]
        shared = shared_offered[None, :] & (km < meta["shared_ride_max_km"])
        lease = bl_offered[None, :] & (ebike <= max_commute)
        use_shared = ~fits_commute & shared & (~lease | (car <= ebike))
        use_lease = ~fits_commute & lease & ~use_shared
        commute_blocked = ~fits_commute & ~use_shared & ~use_lease
        commute_minutes = np.where(fits_commute, best,
                                   np.where(use_shared, car, np.where(use_lease, ebike, -1)))
        acc |= np.where(use_shared, shared_acc[None, :], 0)
        acc |= np.where(use_lease, BIKE_LEASE, 0)
        blocked |= commute_blocked
        commute = np.where(commute_blocked, 0.0,
                           15.0 * np.maximum(0.0, 1.0 - commute_minutes / max_commute))
        del minutes, car, ebike, best, km

        # Childcare timing and the flexible-start search, for the pairs not blocked so
        # far that have a shift outside the availability or on a day with childcare.
        need = ~blocked & (schedule_fails | (has_care & ((v_shift_days[None, :] & care_days) != 0)))
        ci, cj = np.nonzero(need)
        if ci.size:
            t_schedule = time.process_time()
            mode = np.where(use_shared[ci, cj], CAR,
                            np.where(use_lease[ci, cj], EBIKE, best_mode[ci, cj]))
            s_blocked, s_flex = schedule.check(ids[ci], cj, mode, own_shifts, own_count,
                                               flexible, site_lat, site_lon)
            blocked[ci[s_blocked], cj[s_blocked]] = True
            acc[ci[s_flex], cj[s_flex]] |= FLEXIBLE_START
            stats["schedule_checked"] += ci.size
            stats["schedule_blocked"] += int(s_blocked.sum())
            stats["flexible_start"] += int(s_flex.sum())
            stats["schedule_seconds"] += time.process_time() - t_schedule
        del best_mode, need

        score = np.clip(skills + commute + language + hours + pref - penalty + sustainability,
                        0.0, 100.0)
        tier = np.where(blocked, BLOCKED, np.where(acc != 0, FITS_WITH_ACC, FITS))
        key = tier * 1000.0 - score
        if not include_blocked:
            key[tier == BLOCKED] = np.inf

        p_for_rows.append(top_k_rows(tier, score, key, k, ids))
        vr, vc, vt, vs = top_k_rows(tier.T, score.T, key.T, k, np.arange(m))
        v_cands.append((vr, ids[vc], vt, vs))

    # Per participant: already final (each block holds whole rows).
    rows = np.concatenate([r[0] for r in p_for_rows])
    out_p = assemble(rows, np.concatenate([r[1] for r in p_for_rows]),
                     np.concatenate([r[2] for r in p_for_rows]),
                     np.concatenate([r[3] for r in p_for_rows]), n, k)
    # Per vacancy: merge the blocks' candidates.
    vr = np.concatenate([c[0] for c in v_cands])
    vp = np.concatenate([c[1] for c in v_cands])
    vt = np.concatenate([c[2] for c in v_cands])
    vs = np.concatenate([c[3] for c in v_cands])
    order = np.lexsort((vp, -vs, vt, vr))
    vr, vp, vt, vs = vr[order], vp[order], vt[order], vs[order]
    starts_v = np.searchsorted(vr, vr, side="left")
    keep = (np.arange(vr.size) - starts_v) < k
    out_v = assemble(vr[keep], vp[keep], vt[keep], vs[keep], m, k)
    return out_p, out_v, stats


def assemble(rows, cols, tier, score, count, k):
    """(rows sorted, at most k each, best first) -> idx/tier/score arrays count x k."""
    idx = np.full((count, k), -1, dtype=np.int64)
    t = np.zeros((count, k), dtype=np.int64)
    s = np.zeros((count, k))
    rank = np.arange(rows.size) - np.searchsorted(rows, rows, side="left")
    idx[rows, rank] = cols
    t[rows, rank] = tier
    s[rows, rank] = score
    return idx, t, s


def compare(name, engine, ref, tol):
    e_idx, e_tier, e_score = engine
    r_idx, r_tier, r_score = ref
    bad_rows = np.nonzero(np.any(e_idx != r_idx, axis=1) | np.any(e_tier != r_tier, axis=1) |
                          np.any(np.abs(e_score - r_score) > tol, axis=1))[0]
    max_diff = float(np.max(np.abs(e_score - r_score))) if e_score.size else 0.0
    print(f"{name}: {e_idx.shape[0]} lists, {bad_rows.size} differ; max |score diff| "
          f"{max_diff:.3g}")
    for r in bad_rows[:5]:
        print(f"  row {r}: engine {list(zip(e_idx[r], e_tier[r], np.round(e_score[r], 6)))}")
        print(f"  row {r}:    ref {list(zip(r_idx[r], r_tier[r], np.round(r_score[r], 6)))}")
    return bad_rows.size


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir")
    ap.add_argument("--block", type=int, default=500)
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--tol", type=float, default=1e-4)
    args = ap.parse_args()
    d, meta = load(args.dir)
    times, cpu = [], []
    for _ in range(args.repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        out_p, out_v, stats = reference(d, meta, args.block)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    ref_s = float(np.median(times))
    ref_cpu = float(np.median(cpu))
    eng_cpu = float(np.median(meta["engine_cpu_seconds"]))
    eng1_cpu = (float(np.median(meta["engine_1thread_cpu_seconds"]))
                if meta["engine_1thread_cpu_seconds"] else 0.0)
    eng_s = meta["engine_median_seconds"]
    eng1_s = meta.get("engine_1thread_median_seconds", 0.0)
    print(f"numpy {np.__version__}, scipy {scipy.__version__}, "
          f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '')}")
    print(f"reference runs wall/CPU: "
          f"{', '.join(f'{t * 1e3:.0f}/{c * 1e3:.0f}' for t, c in zip(times, cpu))} ms")
    print(f"schedule / childcare search: {stats['schedule_checked']} pairs checked, "
          f"{stats['schedule_blocked']} blocked by it, {stats['flexible_start']} rely on a "
          f"flexible start; {stats['schedule_seconds'] * 1e3:.0f} ms CPU (last run)")
    bad = compare("top-k per participant", (d["engine_p_idx"], d["engine_p_tier"],
                                            d["engine_p_score"]), out_p, args.tol)
    bad += compare("top-k per vacancy", (d["engine_v_idx"], d["engine_v_tier"],
                                         d["engine_v_score"]), out_v, args.tol)
    n, m, k = meta["n"], meta["m"], meta["k"]
    print()
    print(f"full pass, {n} participants x {m} vacancies, top-{k} both ways")
    print("| implementation | median ms wall | reference / this (wall) | median ms CPU | "
          "reference / this (CPU) |")
    print("|---|---|---|---|---|")
    print(f"| engine RankAll, {meta['threads']} threads | {eng_s * 1e3:.0f} | "
          f"{ref_s / eng_s:.1f}x | {eng_cpu * 1e3:.0f} | {ref_cpu / eng_cpu:.1f}x |")
    if eng1_s > 0:
        print(f"| engine RankAll, 1 thread | {eng1_s * 1e3:.0f} | {ref_s / eng1_s:.1f}x | "
              f"{eng1_cpu * 1e3:.0f} | {ref_cpu / eng1_cpu:.1f}x |")
    print(f"| numpy/scipy reference (block {args.block}) | {ref_s * 1e3:.0f} | 1.0x | "
          f"{ref_cpu * 1e3:.0f} | 1.0x |")
    print(f"top-{k} agree: {'yes' if bad == 0 else f'NO ({bad} lists differ)'}")
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
