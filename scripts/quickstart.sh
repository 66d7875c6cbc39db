#!/usr/bin/env bash
# Generates one image and prints the answer; its data[0].url downloads the picture for 60 minutes.
# Defaults: local mode (./mvnw quarkus:dev -Plocal in another terminal), run from the clone's root.
gateway="${GATEWAY_URL:-http://localhost:8080}"
key="${GATEWAY_KEY:-$(cat "${LOCAL_DATA_DIR:-target-local}/local-gateway-key")}"
curl -s "$gateway/v1/images/generations" \
  -H "Authorization: Bearer $key" -H "Content-Type: application/json" \
  -d '{"model":"gpt-image-2","prompt":"A cute baby sea otter","size":"1024x1024","response_format":"url"}'
