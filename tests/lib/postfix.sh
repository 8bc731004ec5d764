# A private Postfix for vigie's mail-flow tests and load benchmark, sourced by them. It listens on
# 127.0.0.1 only, with its own configuration, queue and log under one directory, and delivers every
# recipient of exemple.gouv.fr into one Maildir ($dir/mail/inbox). Two SMTP listeners:
#   $smtp_port     runs vigie as its milter (smtpd_milters = inet:127.0.0.1:$milter_port)
#   $release_port  runs no milter: where vigie's quarantine re-injects a released message
# Postfix needs root to start (its master drops to the postfix user). Nothing is relayed: a
# recipient outside exemple.gouv.fr is refused. DIR's parents must be searchable by every user.
#
#   postfix_start DIR SMTP_PORT RELEASE_PORT MILTER_PORT [MILTER_DEFAULT_ACTION]
#   postfix_stop DIR
#   postfix_queued DIR        messages still in the queue (incoming, active, deferred, hold)
#   postfix_delivered DIR     messages in the Maildir

postfix_start() {
  local dir=$1 smtp_port=$2 release_port=$3 milter_port=$4 default_action=${5:-tempfail}
  mkdir -p "$dir/etc" "$dir/queue" "$dir/data" "$dir/mail"
  chmod 755 "$dir"
  # The master writes its lock in data_directory as postfix; deliveries write as nobody.
  chown postfix "$dir/data"
  chown nobody:nogroup "$dir/mail"
  cat > "$dir/etc/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $dir/queue
data_directory = $dir/data
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.test.invalid
mydomain = test.invalid
myorigin = \$myhostname
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mydestination =
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
relayhost =
virtual_mailbox_domains = exemple.gouv.fr
virtual_mailbox_base = $dir/mail
virtual_mailbox_maps = static:inbox/
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534
virtual_minimum_uid = 1
smtpd_milters = inet:127.0.0.1:$milter_port
milter_default_action = $default_action
milter_protocol = 6
maillog_file = $dir/postfix.log
maillog_file_prefixes = $dir
smtputf8_enable = no
biff = no
alias_maps =
alias_database =
local_recipient_maps =
message_size_limit = 30000000
smtpd_banner = \$myhostname ESMTP
# Headers arrive as sent: no completion of addresses with this host's domain for local clients.
local_header_rewrite_clients =
# Delivery without delay, for the tests' bounded waits.
queue_run_delay = 5s
minimal_backoff_time = 5s
EOF
  cat > "$dir/etc/master.cf" <<EOF
127.0.0.1:$smtp_port inet n - n - - smtpd
127.0.0.1:$release_port inet n - n - - smtpd -o smtpd_milters= -o syslog_name=postfix/release
pickup    unix  n - n 60 1 pickup
cleanup   unix  n - n -  0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n -  - trivial-rewrite
bounce    unix  - - n -  0 bounce
defer     unix  - - n -  0 bounce
trace     unix  - - n -  0 bounce
verify    unix  - - n -  1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n -  - proxymap
smtp      unix  - - n -  - smtp
relay     unix  - - n -  - smtp
showq     unix  n - n -  - showq
error     unix  - - n -  - error
retry     unix  - - n -  - error
discard   unix  - - n -  - discard
local     unix  - n n -  - local
virtual   unix  - n n -  - virtual
anvil     unix  - - n -  1 anvil
scache    unix  - - n -  1 scache
postlog   unix-dgram n - n - 1 postlogd
EOF
  postfix -c "$dir/etc" start > "$dir/start.log" 2>&1
}

postfix_stop() {
  local dir=$1
  [ -f "$dir/etc/main.cf" ] || return 0
  postfix -c "$dir/etc" stop > /dev/null 2>&1
  # The master exits after its children; wait for its pid file's process to go.
  local pid
  pid=$(cat "$dir/queue/pid/master.pid" 2>/dev/null | tr -d ' ')
  if [ -n "$pid" ]; then
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    postfix -c "$dir/etc" abort > /dev/null 2>&1
    kill -9 "$pid" 2>/dev/null
  fi
  return 0
}

postfix_queued() {
  find "$1/queue/incoming" "$1/queue/active" "$1/queue/deferred" "$1/queue/hold" -type f 2>/dev/null | wc -l
}

postfix_delivered() {
  find "$1/mail/inbox/new" -type f 2>/dev/null | wc -l
}
