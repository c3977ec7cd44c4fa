"""One boto3 call for the end-to-end tests: boto3 is a client we did not write.

    boto3_client.py ENDPOINT REGION SERVICE OPERATION [JSON_ARGUMENTS]

SERVICE is a boto3 service name ("amplify", "amplifybackend"), OPERATION its snake_case
method (e.g. "create_app"). Prints the response as JSON (without ResponseMetadata) and
exits 0; an API error prints {"Error": {"Code": ..., "Message": ...}} and exits 2. The
credentials are the usual AWS_* environment variables, which the caller sets.
"""

import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError


def main(argv: list[str]) -> int:
    if len(argv) not in (4, 5):
        print(__doc__, file=sys.stderr)
        return 64
    endpoint, region, service, operation = argv[:4]
    arguments = json.loads(argv[4]) if len(argv) == 5 else {}
    client = boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=region,
        config=Config(retries={"max_attempts": 1}),
    )
    try:
        response = getattr(client, operation)(**arguments)
    except ClientError as error:
        json.dump({"Error": error.response.get("Error", {})}, sys.stdout)
        return 2
    response.pop("ResponseMetadata", None)
    json.dump(response, sys.stdout, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
