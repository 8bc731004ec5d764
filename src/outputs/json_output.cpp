// Scan and parse JSON renderers.
#include "outputs/json_output.h"

#include <cmath>

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
    if (f.content) one["sha256"] = compute_hashes(*f.content).sha256;
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

json objects_json(const ObjectTree& objects) {
  json out = json::array();
  for (const Object& o : objects) {
    json j = {{"id", o.id}, {"path", objects.path(o.id)}, {"origin", object_origin_name(o.origin)}};
    if (o.parent != kNoObject) j["parent"] = o.parent;
    if (o.part != kNoPart) j["part"] = o.part;
    if (!o.filename.empty()) j["filename"] = o.filename;
    if (!o.declared_type.empty()) j["declared_type"] = o.declared_type;
    if (!o.detected_type.empty()) j["detected_type"] = o.detected_type;
    j["size"] = o.size();
    // Files carry their hashes; text bodies and the message itself are read, not saved.
    if (o.is_file()) j["sha256"] = o.hashes().sha256;
    if (o.flags != 0) j["flags"] = object_flag_names(o.flags);
    if (!o.notes.empty()) j["notes"] = o.notes;
    out.push_back(std::move(j));
  }
  return out;
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

json scan_to_json(const ScanResult& result, std::string_view label) {
  const ParsedMessage& m = *result.message;
  json j;
  j["file"] = label;
  j["message_id"] = m.message_id();
  const AddressList from = m.addresses("From");
  j["from"] = from.mailboxes.empty() ? json(nullptr) : json(from.mailboxes.front().address());
  j["subject"] = m.subject();
  j["parse"] = {{"parts", m.parts().size()}, {"anomalies", anomalies_json(m)}};
  const SpfAuthResult& spf = result.auth.spf;
  json spf_json = {{"result", to_string(spf.result)}, {"reason", spf.reason}};
  if (!spf.domain.empty()) spf_json["domain"] = spf.domain;
  if (!spf.identity.empty()) spf_json["identity"] = spf.identity;
  if (!spf.explanation.empty()) spf_json["explanation"] = spf.explanation;
  if (!spf.reason_fr.empty()) spf_json["reason_fr"] = spf.reason_fr;
  json dkim_json = json::array();
  for (const DkimAuthResult& d : result.auth.dkim) {
    json one = {{"domain", d.domain},
                {"selector", d.selector},
                {"algorithm", d.algorithm},
                {"result", to_string(d.result)},
                {"reason", d.reason}};
    if (!d.reason_fr.empty()) one["reason_fr"] = d.reason_fr;
    if (d.body_length_limited) {
      one["body_length"] = d.body_length;
      one["unsigned_body_bytes"] = d.unsigned_body_bytes;
    }
    dkim_json.push_back(std::move(one));
  }
  const DmarcAuthResult& dmarc = result.auth.dmarc;
  // "policy" is "" when no DMARC record applied.
  json dmarc_json = {{"result", to_string(dmarc.result)},
                     {"policy", dmarc.policy ? to_string(*dmarc.policy) : std::string_view()},
                     {"disposition", to_string(dmarc.disposition)},
                     {"from_domain", dmarc.from_domain},
                     {"reason", dmarc.reason}};
  if (!dmarc.record_domain.empty()) {
    dmarc_json["record_domain"] = dmarc.record_domain;
    dmarc_json["spf_aligned"] = dmarc.spf_aligned;
    dmarc_json["dkim_aligned"] = dmarc.dkim_aligned;
    dmarc_json["pct"] = dmarc.pct;
    if (dmarc.arc_override) dmarc_json["arc_override"] = true;
  }
  if (!dmarc.reason_fr.empty()) dmarc_json["reason_fr"] = dmarc.reason_fr;
  const ArcAuthResult& arc = result.auth.arc;
  json arc_json = {
      {"result", to_string(arc.result)}, {"instance", arc.instance}, {"reason", arc.reason}};
  if (arc.failed_instance != 0) arc_json["failed_instance"] = arc.failed_instance;
  if (!arc.sealer.empty()) arc_json["sealer"] = arc.sealer;
  if (arc.temporary_error) arc_json["temporary_error"] = true;
  if (!arc.reason_fr.empty()) arc_json["reason_fr"] = arc.reason_fr;
  j["auth"] = {{"spf", std::move(spf_json)},
               {"dkim", std::move(dkim_json)},
               {"dmarc", std::move(dmarc_json)},
               {"arc", std::move(arc_json)},
               {"authentication_results", result.auth.authentication_results}};
  json findings = json::array();
  for (const Finding& f : result.findings) {
    json evidence = json::array();
    for (const Evidence& e : f.evidence) {
      json item = {{"where", evidence_place(result.objects, e)},
                   {"object", e.object},
                   {"field", e.field},
                   {"what", e.value}};
      // Only prose has a French rendering; data (a header value, a URL) is the same in both.
      if (!e.value_fr.empty()) item["what_fr"] = e.value_fr;
      evidence.push_back(std::move(item));
    }
    findings.push_back({{"id", f.id},
                        {"analyzer", f.analyzer},
                        {"group", f.group},
                        {"score", printable_score(f.score)},
                        {"confidence", f.confidence},
                        {"attack", f.attack},
                        {"evidence", std::move(evidence)},
                        {"explanation", {{"en", f.explanation.en}, {"fr", f.explanation.fr}}}});
  }
  j["findings"] = std::move(findings);
  j["objects"] = objects_json(result.objects);
  json not_examined = json::array();
  for (const LimitCrossing& c : result.limits_reached) {
    json item = {{"limit", c.limit},
                 {"by", c.stage},
                 {"observed", c.observed},
                 {"allowed", c.allowed},
                 {"where", result.objects.path(c.object)},
                 {"what", c.not_examined}};
    if (!c.not_examined_fr.empty()) item["what_fr"] = c.not_examined_fr;
    not_examined.push_back(std::move(item));
  }
  j["not_examined"] = std::move(not_examined);
  json groups = json::array();
  for (const GroupScore& g : result.verdict.groups) {
    // JSON has no infinity: a group without a cap has "max_score": null.
    groups.push_back({{"group", g.group},
                      {"score", printable_score(g.score)},
                      {"uncapped", printable_score(g.uncapped)},
                      {"max_score", std::isfinite(g.max_score) ? json(g.max_score) : json(nullptr)}});
  }
  j["verdict"] = {{"action", action_name(result.verdict.action)},
                  {"score", printable_score(result.verdict.score)},
                  {"complete", result.verdict.complete},
                  {"reasons", result.verdict.reasons},
                  {"groups", std::move(groups)},
                  {"banner", {{"en", result.verdict.banner.en}, {"fr", result.verdict.banner.fr}}}};
  j["elapsed_us"] = result.elapsed_us;
  return j;
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
