#!/usr/bin/env bash
# Installs exactly the Debian 12 packages vigie needs to build, test, fuzz and benchmark.
# Idempotent; run as root. Runtime-only users need just the first group.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

runtime_and_build=(
  build-essential cmake ninja-build pkg-config
  libicu-dev          # charset conversion, IDNA (UTS #46)
  libpsl-dev          # public suffix list: registrable domains
  libtomlplusplus-dev # configuration
  libexpected-dev     # tl::expected (Result<T>)
  nlohmann-json3-dev  # JSON output
  libssl-dev          # MD5/SHA-1/SHA-256 of attachments
  libcli11-dev        # command-line parsing
  libyaml-cpp-dev     # recorded DNS zones (--dns-zone) in the RFC 7208 suite's YAML layout
  libunbound-dev      # live DNS (--dns, --dns-server): caching resolver library (NLnet Labs)
  libhyperscan-dev    # lure-language phrase matching (pkg-config libhs; amd64 only, needs SSSE3)
  libsqlite3-dev      # sender history of the first-contact detector (WAL, user_version migrations)
  libical-dev         # calendar invitations (text/calendar parts, .ics files): iCalendar parser
  libmagic-dev        # attachment types from their content (libmagic, with the file(1) database);
                      # vigie's own signatures come first for the formats it must not miss
  libarchive-dev      # archive members (zip, 7z, RAR, tar, cab, ISO, compressed streams), read from memory
  libhiredis-dev      # Redis client of the shared key-value store (src/store/redis_store), several nodes one history
  libyara-dev         # YARA rules (vigie's data/yara and the site's folders) on every object
  libclamav-dev       # optional ClamAV signatures on every object ([analyzers.clamav])
  libqpdf-dev         # PDF attachments (src/objects/pdf): actions, scripts, links, embedded files
  libcpp-httplib-dev  # vigie serve: the HTTP listener (POST /scan, /health, /metrics, /reload)
  libcurl4-openssl-dev  # vigie serve: SMTP re-injection of released quarantined messages
  libre2-dev          # MATCHES in STIX indicator patterns: linear-time regular expressions, bounded memory
  zlib1g-dev          # PDF object streams inflated, bounded, before qpdf reads them
  wfrench wamerican   # word lists (/usr/share/dict): look-alike detection tells ordinary-word names
                      # (interieur, defense) from distinctive ones (intel/brands/common_words.h)
)
test_only=(
  libgtest-dev libgmock-dev   # unit tests
  libgmime-3.0-dev            # reference MIME parser for the differential test and benchmark
  libgumbo-dev                # reference HTML5 parser for the HTML differential test
  clang libclang-rt-14-dev    # libFuzzer + ASan/UBSan
  python3                     # Python email reference in bench/
  # Independent DKIM/ARC signer (dkimpy) for the interop tests (src/auth/dkim, tests/auth_e2e,
  # the CLI test); ARC signing
  # needs authres, Ed25519 keys need nacl.
  python3-dkim python3-nacl python3-authres
  unbound                     # tests/auth_e2e: a real DNS server, run by the test itself on
                              # 127.0.0.1 and a free port (the system service is never used)
  dnsutils                    # tests/auth_e2e: dig, to wait until that server answers
  openssl                     # tests/auth_e2e and the CLI test: RSA keys for signed test messages
  python3-yaml                # tests/auth_e2e: one YAML zone turned into unbound local-data
  python3-jsonschema          # tests/intel: exports validated against the STIX 2.1 and MISP schemas
  # tests/lookalike: dnstwist generates look-alike attacks on protected domains, offline
  # (--format list); python3-tld lets it split gouv.fr-style suffixes, python3-idna encodes IDNs
  dnstwist python3-tld python3-idna
  xorriso                     # src/analyzers/archives: builds an ISO image holding a shortcut
  p7zip-full zip              # src/analyzers/archives: 7-Zip and Info-ZIP encryption as attackers use them
  gcab                        # src/analyzers/archives: builds a cabinet (the only cab writer in Debian main)
  udftools                    # src/objects/archive: mkudffs builds a UDF-only image, which libarchive does not read
  redis-server                # src/store and tests/store_e2e: a real Redis 7.0, started by the tests on a free port
  clamav                      # bench/attachments_throughput.sh: clamscan beside vigie, with a
                              # signature database the script writes (never freshclam's)
  curl                        # tests/serve: the end-to-end test of vigie serve posts messages with it
  postfix swaks               # tests/mailflow, bench/postfix_load.sh: a real Postfix with vigie as its
                              # milter, private configuration on 127.0.0.1 started by the test; swaks sends
  qpdf bc                     # bench/attachments_throughput.sh: object streams in its generated
                              # PDF (optional), arithmetic of the figures
)

missing=()
for pkg in "${runtime_and_build[@]}" "${test_only[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  # Postfix installed with no configuration of its own: the system instance never starts (the tests
  # run a private one on 127.0.0.1), and the installer asks nothing.
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
