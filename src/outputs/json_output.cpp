// Scan and parse JSON renderers.
#include "outputs/json_output.h"

#include <cmath>

#include "outputs/json_writer.h"
#include "parse/headers/header_grammar.h"

namespace vigie::outputs {
namespace {

using nlohmann::json;

constexpr std::size_t kExcerptBytes = 400;

std::string_view url_source_name(UrlSource source) {
  switch (source) {
    case UrlSource::kHref: return "href";
    case UrlSource::kSrc: return "src";
    case UrlSource::kSrcset: return "srcset";
    case UrlSource::kFormAction: return "form_action";
    case UrlSource::kMetaRefresh: return "meta_refresh";
    case UrlSource::kCssUrl: return "css_url";
    case UrlSource::kOtherAttribute: return "attribute";
    case UrlSource::kText: return "text";
    case UrlSource::kCalendarProperty: return "calendar_property";
  }
  return "text";
}

json anomaly_json(const Anomaly& a) {
  json j = {{"kind", anomaly_name(a.kind)}};
  if (a.part != kNoPart) j["part"] = a.part;
  if (!a.detail.empty()) j["detail"] = a.detail;
  if (!a.detail_fr.empty()) j["detail_fr"] = a.detail_fr;
  if (a.limit != 0) {
    j["observed"] = a.observed;
    j["limit"] = a.limit;
  }
  return j;
}

json anomalies_json(const ParsedMessage& m) {
  json out = json::array();
  for (const Anomaly& a : m.anomalies()) out.push_back(anomaly_json(a));
  return out;
}

json mailbox_json(const Mailbox& m) {
  json j = {{"address", m.address()}};
  if (!m.display_name.empty()) j["name"] = m.display_name;
  if (!m.group.empty()) j["group"] = m.group;
  return j;
}

json address_list_json(const AddressList& list) {
  json out = json::array();
  for (const Mailbox& m : list.mailboxes) out.push_back(mailbox_json(m));
  return out;
}

json url_json(const Url& u) {
  json j = {{"url", u.normalized()}, {"source", url_source_name(u.source)}};
  if (!u.host_ascii().empty()) j["host"] = u.host_ascii();
  if (u.host_unicode() != u.host_ascii() && !u.host_unicode().empty()) j["host_unicode"] = u.host_unicode();
  if (!u.registrable_domain().empty()) j["domain"] = u.registrable_domain();
  if (u.host_is_ip) j["ip"] = true;
  if (!u.userinfo().empty()) j["userinfo"] = u.userinfo();
  if (!u.valid) j["valid"] = false;
  if (u.part != kNoPart) j["part"] = u.part;
  if (!u.anchor_text.empty()) j["anchor_text"] = excerpt(u.anchor_text, 200);
  return j;
}

json part_json(const ParsedMessage& m, const Part& p) {
  json j = {{"id", p.id},
            {"type", p.media_type + "/" + p.media_subtype},
            {"depth", p.depth}};
  if (p.parent != kNoPart) j["parent"] = p.parent;
  if (!p.charset.empty()) j["charset"] = p.charset;
  j["encoding"] = transfer_encoding_name(p.transfer_encoding);
  if (p.disposition != Disposition::kNone) j["disposition"] = disposition_name(p.disposition);
  if (!p.filename.empty()) j["filename"] = p.filename;
  if (!p.children.empty()) j["children"] = p.children;
  if (p.is_leaf()) {
    j["size"] = m.decoded(p.id).size();
    if (!p.is_text() || p.is_attachment()) {
      const PartHashes& h = m.hashes(p.id);
      j["md5"] = h.md5;
      j["sha1"] = h.sha1;
      j["sha256"] = h.sha256;
    }
  }
  return j;
}

// What a calendar part names: the parties as written (nothing in them is authenticated).
json calendar_json(PartId part, const CalendarContent& calendar) {
  json parties = json::array();
  for (const CalendarParty& p : calendar.parties) {
    json one = {{"role", p.role == CalendarParty::Role::kOrganizer ? "organizer" : "attendee"},
                {"address", p.address}};
    if (!p.common_name.empty()) one["name"] = p.common_name;
    if (!p.sent_by.empty()) one["sent_by"] = p.sent_by;
    parties.push_back(std::move(one));
  }
  json files = json::array();
  for (const CalendarFile& f : calendar.files) {
    json one = {{"size", f.content ? f.content->size() : 0}};
    if (!f.filename.empty()) one["filename"] = f.filename;
    if (!f.declared_type.empty()) one["type"] = f.declared_type;
    if (f.content) one["sha256"] = sha256_hex(*f.content);
    files.push_back(std::move(one));
  }
  json j = {{"part", part},
            {"method", calendar.method},
            {"components", calendar.components},
            {"properties", calendar.properties},
            {"parties", std::move(parties)},
            {"files", std::move(files)},
            {"errors", calendar.errors}};
  if (calendar.limit) {
    j["limit"] = {{"limit", calendar.limit->limit},
                  {"observed", calendar.limit->observed},
                  {"allowed", calendar.limit->allowed}};
  }
  return j;
}

// Scores are sums of decimal weights: 2.7 + 8.0 is 10.700000000000001 in binary. Printed to the
// thousandth they read as the catalog's weights do; nothing finer carries meaning.
double printable_score(double score) { return std::round(score * 1000.0) / 1000.0; }

}  // namespace

std::string evidence_place(const ObjectTree& objects, const Evidence& evidence, std::string_view part_word) {
  if (evidence.object == kMessageObject || evidence.object >= objects.size()) return evidence.field;
  return objects.path(evidence.object, part_word) + ": " + evidence.field;
}

std::string excerpt(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t cut = max_bytes;
  // Step back over UTF-8 continuation bytes so a character is never split.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "\xE2\x80\xA6";
}

std::string to_json_line(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

namespace {

// The scan record's parts, written field by field in key order (json_writer.h).

template <typename Strings>
void write_strings(JsonWriter& w, std::string_view name, const Strings& values) {
  w.key(name).begin_array();
  for (std::string_view value : values) w.string(value);
  w.end_array();
}

void write_localized(JsonWriter& w, std::string_view name, const LocalizedText& text) {
  w.key(name).begin_object();
  w.field("en", text.en);
  w.field("fr", text.fr);
  w.end_object();
}

void write_auth(JsonWriter& w, const AuthResults& auth) {
  w.key("auth").begin_object();
  const ArcAuthResult& arc = auth.arc;
  w.key("arc").begin_object();
  if (arc.failed_instance != 0) w.field("failed_instance", arc.failed_instance);
  w.field("instance", arc.instance);
  w.field("reason", arc.reason);
  if (!arc.reason_fr.empty()) w.field("reason_fr", arc.reason_fr);
  w.field("result", to_string(arc.result));
  if (!arc.sealer.empty()) w.field("sealer", arc.sealer);
  if (arc.temporary_error) w.field("temporary_error", true);
  w.end_object();
  w.field("authentication_results", auth.authentication_results);
  w.key("dkim").begin_array();
  for (const DkimAuthResult& d : auth.dkim) {
    w.begin_object();
    w.field("algorithm", d.algorithm);
    if (d.body_length_limited) w.field("body_length", d.body_length);
    w.field("domain", d.domain);
    w.field("reason", d.reason);
    if (!d.reason_fr.empty()) w.field("reason_fr", d.reason_fr);
    w.field("result", to_string(d.result));
    w.field("selector", d.selector);
    if (d.body_length_limited) w.field("unsigned_body_bytes", d.unsigned_body_bytes);
    w.end_object();
  }
  w.end_array();
  const DmarcAuthResult& dmarc = auth.dmarc;
  const bool has_record = !dmarc.record_domain.empty();
  w.key("dmarc").begin_object();
  if (has_record && dmarc.arc_override) w.field("arc_override", true);
  w.field("disposition", to_string(dmarc.disposition));
  if (has_record) w.field("dkim_aligned", dmarc.dkim_aligned);
  w.field("from_domain", dmarc.from_domain);
  if (has_record) w.field("pct", dmarc.pct);
  // "policy" is "" when no DMARC record applied.
  w.field("policy", dmarc.policy ? to_string(*dmarc.policy) : std::string_view());
  w.field("reason", dmarc.reason);
  if (!dmarc.reason_fr.empty()) w.field("reason_fr", dmarc.reason_fr);
  if (has_record) w.field("record_domain", dmarc.record_domain);
  w.field("result", to_string(dmarc.result));
  if (has_record) w.field("spf_aligned", dmarc.spf_aligned);
  w.end_object();
  const SpfAuthResult& spf = auth.spf;
  w.key("spf").begin_object();
  if (!spf.domain.empty()) w.field("domain", spf.domain);
  if (!spf.explanation.empty()) w.field("explanation", spf.explanation);
  if (!spf.identity.empty()) w.field("identity", spf.identity);
  w.field("reason", spf.reason);
  if (!spf.reason_fr.empty()) w.field("reason_fr", spf.reason_fr);
  w.field("result", to_string(spf.result));
  w.end_object();
  w.end_object();
}

// The shared indicators an INTEL_MATCH finding matched, one object each.
void write_sightings(JsonWriter& w, const ObjectTree& objects, const std::vector<IndicatorSighting>& sightings) {
  w.key("sightings").begin_array();
  for (const IndicatorSighting& s : sightings) {
    w.begin_object();
    if (s.confidence >= 0) w.field("confidence", s.confidence);
    w.field("how", s.how);
    w.key("indicates").begin_array();
    for (const IntelligenceLink& link : s.links) {
      w.begin_object();
      w.field("kind", link.kind);
      w.field("name", link.name);
      if (!link.stix_id.empty()) w.field("stix_id", link.stix_id);
      w.end_object();
    }
    w.end_array();
    w.field("indicator", s.indicator_id);
    w.field("matched", s.matched);
    if (!s.name.empty()) w.field("name", s.name);
    w.field("observed", s.observed);
    w.field("source", s.source);
    if (!s.tlp.empty()) w.field("tlp", s.tlp);
    w.field("type", s.observable_type);
    w.field("where", evidence_place(objects, Evidence(s.object, s.field, std::string())));
    w.end_object();
  }
  w.end_array();
}

void write_findings(JsonWriter& w, const ScanResult& result) {
  w.key("findings").begin_array();
  for (const Finding& f : result.findings) {
    w.begin_object();
    w.field("analyzer", f.analyzer);
    write_strings(w, "attack", f.attack);
    // Present when the engine's ATT&CK knowledge named the techniques; "attack" keeps the ids.
    if (!f.attack_techniques.empty()) {
      w.key("attack_techniques").begin_array();
      for (const AttackTechnique& t : f.attack_techniques) {
        w.begin_object();
        w.field("id", t.id);
        w.field("name", t.name);
        write_strings(w, "tactics", t.tactics);
        w.end_object();
      }
      w.end_array();
    }
    w.field("confidence", f.confidence);
    w.key("evidence").begin_array();
    for (const Evidence& e : f.evidence) {
      w.begin_object();
      w.field("field", e.field);
      w.field("object", e.object);
      w.field("what", e.value);
      // Only prose has a French rendering; data (a header value, a URL) is the same in both.
      if (!e.value_fr.empty()) w.field("what_fr", e.value_fr);
      w.field("where", evidence_place(result.objects, e));
      w.end_object();
    }
    w.end_array();
    write_localized(w, "explanation", f.explanation);
    w.field("group", f.group);
    w.field("id", f.id);
    w.field("score", printable_score(f.score));
    if (!f.sightings.empty()) write_sightings(w, result.objects, f.sightings);
    w.end_object();
  }
  w.end_array();
}

void write_objects(JsonWriter& w, const ObjectTree& objects) {
  w.key("objects").begin_array();
  for (const Object& o : objects) {
    w.begin_object();
    if (!o.declared_type.empty()) w.field("declared_type", o.declared_type);
    if (!o.detected_type.empty()) w.field("detected_type", o.detected_type);
    if (!o.filename.empty()) w.field("filename", o.filename);
    if (o.flags != 0) write_strings(w, "flags", object_flag_names(o.flags));
    w.field("id", o.id);
    if (!o.notes.empty()) write_strings(w, "notes", o.notes);
    w.field("origin", object_origin_name(o.origin));
    if (o.parent != kNoObject) w.field("parent", o.parent);
    if (o.part != kNoPart) w.field("part", o.part);
    w.field("path", objects.path(o.id));
    // Files carry their hash; text bodies and the message itself are read, not saved.
    if (o.is_file()) w.field("sha256", o.sha256());
    w.field("size", o.size());
    w.end_object();
  }
  w.end_array();
}

void write_not_examined(JsonWriter& w, const ScanResult& result) {
  w.key("not_examined").begin_array();
  for (const LimitCrossing& c : result.limits_reached) {
    w.begin_object();
    w.field("allowed", c.allowed);
    w.field("by", c.stage);
    w.field("limit", c.limit);
    w.field("observed", c.observed);
    w.field("what", c.not_examined);
    if (!c.not_examined_fr.empty()) w.field("what_fr", c.not_examined_fr);
    w.field("where", result.objects.path(c.object));
    w.end_object();
  }
  w.end_array();
}

void write_parse(JsonWriter& w, const ParsedMessage& m) {
  w.key("parse").begin_object();
  w.key("anomalies").begin_array();
  for (const Anomaly& a : m.anomalies()) {
    w.begin_object();
    if (!a.detail.empty()) w.field("detail", a.detail);
    if (!a.detail_fr.empty()) w.field("detail_fr", a.detail_fr);
    w.field("kind", anomaly_name(a.kind));
    if (a.limit != 0) {
      w.field("limit", a.limit);
      w.field("observed", a.observed);
    }
    if (a.part != kNoPart) w.field("part", a.part);
    w.end_object();
  }
  w.end_array();
  w.field("parts", m.parts().size());
  w.end_object();
}

void write_attribution(JsonWriter& w, const std::vector<AttributionHint>& hints) {
  w.key("attribution").begin_array();
  for (const AttributionHint& h : hints) {
    w.begin_object();
    write_strings(w, "aliases", h.aliases);
    w.field("confidence", h.confidence);
    w.field("coverage", printable_score(h.coverage));
    w.field("id", h.set_id);
    w.key("intelligence").begin_array();
    for (const AttributionHint::IntelligenceEvidence& e : h.intelligence) {
      w.begin_object();
      w.field("indicator", e.indicator);
      if (!e.named_as.empty()) w.field("named_as", e.named_as);
      w.field("strong", e.strong);
      w.end_object();
    }
    w.end_array();
    w.field("name", h.set_name);
    w.field("sets_at_score", h.sets_at_score);
    w.field("technique_score", printable_score(h.technique_score));
    w.key("techniques").begin_array();
    for (const AttributionHint::TechniqueEvidence& t : h.techniques) {
      w.begin_object();
      w.field("distinctive", t.distinctive);
      w.field("id", t.id);
      w.field("name", t.name);
      w.field("sets_using", t.sets_using);
      w.field("weight", printable_score(t.weight));
      w.end_object();
    }
    w.end_array();
    w.end_object();
  }
  w.end_array();
}

void write_verdict(JsonWriter& w, const Verdict& verdict) {
  w.key("verdict").begin_object();
  w.field("action", action_name(verdict.action));
  write_attribution(w, verdict.attribution);
  write_localized(w, "banner", verdict.banner);
  w.field("complete", verdict.complete);
  w.key("groups").begin_array();
  for (const GroupScore& g : verdict.groups) {
    w.begin_object();
    w.field("group", g.group);
    // JSON has no infinity: a group without a cap has "max_score": null.
    w.field("max_score", g.max_score);
    w.field("score", printable_score(g.score));
    w.field("uncapped", printable_score(g.uncapped));
    w.end_object();
  }
  w.end_array();
  write_strings(w, "reasons", verdict.reasons);
  w.field("score", printable_score(verdict.score));
  w.end_object();
}

}  // namespace

std::string scan_json_line(const ScanResult& result, std::string_view label) {
  const ParsedMessage& m = *result.message;
  JsonWriter w;
  w.begin_object();
  write_auth(w, result.auth);
  w.field("elapsed_us", result.elapsed_us);
  w.field("file", label);
  write_findings(w, result);
  const AddressList from = m.addresses("From");
  if (from.mailboxes.empty()) {
    w.key("from").null();
  } else {
    w.field("from", from.mailboxes.front().address());
  }
  w.field("message_id", m.message_id());
  write_not_examined(w, result);
  write_objects(w, result.objects);
  write_parse(w, m);
  w.field("subject", m.subject());
  write_verdict(w, result.verdict);
  w.end_object();
  return w.take();
}

json parse_to_json(const ParsedMessage& m) {
  json j;
  json headers = json::array();
  for (const HeaderField& f : m.root().headers) {
    headers.push_back({{"name", f.name}, {"value", m.header_text(f)}});
  }
  j["headers"] = std::move(headers);
  j["message_id"] = m.message_id();
  j["subject"] = m.subject();
  for (std::string_view field : {"From", "Sender", "Reply-To", "To", "Cc"}) {
    const AddressList list = m.addresses(field);
    if (!list.mailboxes.empty()) {
      std::string key(field);
      for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      j[key] = address_list_json(list);
    }
  }
  if (const auto date = m.date()) {
    j["date"] = {{"unix", date->unix_seconds}, {"utc_offset_minutes", date->utc_offset_minutes}};
  }
  json received = json::array();
  for (const ReceivedHop& hop : m.received_chain()) {
    json h;
    if (!hop.from_helo.empty()) h["from"] = hop.from_helo;
    if (!hop.from_rdns.empty()) h["rdns"] = hop.from_rdns;
    if (!hop.from_ip.empty()) h["ip"] = hop.from_ip;
    if (!hop.by.empty()) h["by"] = hop.by;
    if (!hop.with.empty()) h["with"] = hop.with;
    if (!hop.id.empty()) h["id"] = hop.id;
    if (!hop.for_address.empty()) h["for"] = hop.for_address;
    if (hop.date) h["date_unix"] = hop.date->unix_seconds;
    received.push_back(std::move(h));
  }
  j["received"] = std::move(received);

  json parts = json::array();
  json texts = json::array();
  json html = json::array();
  for (const Part& p : m.parts()) {
    parts.push_back(part_json(m, p));
    if (!p.is_leaf() || !p.is_text()) continue;
    if (const HtmlContent* h = m.html(p.id)) {
      json forms = json::array();
      for (const HtmlForm& f : h->forms) {
        forms.push_back({{"action", f.action}, {"method", f.method},
                         {"password", f.has_password_input}, {"inputs", f.input_count}});
      }
      json hidden = json::array();
      for (const HiddenText& t : h->hidden) hidden.push_back({{"reason", t.reason}, {"text", t.text}});
      html.push_back({{"part", p.id},
                      {"title", h->title},
                      {"forms", std::move(forms)},
                      {"hidden", std::move(hidden)},
                      {"scripts", h->script_count},
                      {"event_handlers", h->event_handler_count}});
      texts.push_back({{"part", p.id}, {"visible_text", excerpt(h->visible_text, kExcerptBytes)}});
    } else {
      texts.push_back({{"part", p.id}, {"text", excerpt(m.text(p.id), kExcerptBytes)}});
    }
  }
  json calendars = json::array();
  for (const Part& p : m.parts()) {
    if (const CalendarContent* calendar = m.calendar(p.id)) calendars.push_back(calendar_json(p.id, *calendar));
  }
  j["parts"] = std::move(parts);
  j["text"] = std::move(texts);
  j["html"] = std::move(html);
  j["calendars"] = std::move(calendars);
  json urls = json::array();
  for (const Url& u : m.urls()) urls.push_back(url_json(u));
  j["urls"] = std::move(urls);
  json embedded = json::array();
  for (const EmbeddedFile& f : m.embedded_files()) {
    embedded.push_back({{"part", f.part}, {"filename", f.filename}, {"size", f.size},
                        {"sha256", f.hashes.sha256}, {"complete", f.complete}});
  }
  j["uuencoded"] = std::move(embedded);
  j["anomalies"] = anomalies_json(m);
  return j;
}

}  // namespace vigie::outputs
