#!/usr/bin/env python3
"""Ranks vacancies for one participant through the carvematch gRPC API.

An agency integrates like this: generate the message classes once with
    protoc -I proto --python_out=examples/python/gen proto/carvematch/v1/*.proto \
        proto/google/rpc/*.proto
then call the service with python3-grpcio (Debian packages python3-grpcio and
python3-protobuf; no other generator needed).

Usage: rank_vacancies.py HOST:PORT API_KEY PARTICIPANT_ID
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "gen"))

import grpc  # noqa: E402
from carvematch.v1 import match_pb2  # noqa: E402
from google.rpc import error_details_pb2, status_pb2  # noqa: E402


def main() -> int:
    address, api_key, participant_id = sys.argv[1:4]
    channel = grpc.insecure_channel(address)
    rank_vacancies = channel.unary_unary(
        "/carvematch.v1.MatchService/RankVacancies",
        request_serializer=match_pb2.RankVacanciesRequest.SerializeToString,
        response_deserializer=match_pb2.RankVacanciesResponse.FromString,
    )
    request = match_pb2.RankVacanciesRequest(participant_id=participant_id, limit=5)
    try:
        response = rank_vacancies(
            request, metadata=[("authorization", f"Bearer {api_key}")], timeout=30
        )
    except grpc.RpcError as error:
        print(f"{error.code().name}: {error.details()}", file=sys.stderr)
        # Field violations travel in the standard google.rpc.Status trailer.
        for key, value in error.trailing_metadata() or ():
            if key == "grpc-status-details-bin":
                status = status_pb2.Status.FromString(value)
                for detail in status.details:
                    bad_request = error_details_pb2.BadRequest()
                    if detail.Unpack(bad_request):
                        for v in bad_request.field_violations:
                            print(f"  {v.field}: {v.description}", file=sys.stderr)
        return 1
    for match in response.matches:
        tier = match_pb2.Tier.Name(match.tier)
        print(f"{match.score:5.1f}  {tier:<25} {match.vacancy_title} ({match.employer_name})")
        for item in match.items:
            print(f"       {item.criterion}: {item.message}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
