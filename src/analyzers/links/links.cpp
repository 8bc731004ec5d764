// links: deceptive links and credential-capture forms, the spear-phishing lure's way to a
// credential-harvesting page. Owns every finding about where the message's links and forms lead:
//   - the link text shows one site and the link goes to another;
//   - links to services attackers borrow (tunnels, request catchers, IPFS, dynamic DNS, free
//     hosting, form builders, file sharing, shorteners, image hosts, temporary mail), from the
//     sourced lists of data/link_categories/ — one finding per family, graded by category;
//   - links that download a program or a script, a disk image or an archive (download_names.h);
//   - URL tricks: IP literals (decimal/hex forms above all), unusual ports, "trusted@evil" userinfo,
//     javascript:/data: addresses, redirect parameters carrying an off-site URL, UNC and WebDAV
//     paths (\\host\share, file://host@SSL/);
//   - links to protocol handlers that start a local Windows tool (ms-msdt:, search-ms:,
//     ms-officecmd:, ms-word:ofe|u|...), the route of Follina and its relatives;
//   - forms asking for a password, forms posting elsewhere (HTML attachments that are log-in pages
//     are the html_attachment object analyzer's).
// Links to the sender's own domain and to the organisation's protected and partner domains are
// not reported: they are not where a lure sends people. Nor are links to the own places of a brand
// whose domain sent the message (data/brands.tsv): a SharePoint share notification from
// sharepointonline.com links to x.sharepoint.com, the service doing its job; a share
// notification is judged by where its links lead, and these lead nowhere else. Newsletter click
// trackers, which make a text/target mismatch normal, only lower the confidence of a mismatch.
// Hot path: one pass over message.urls() and the links object analyzers read inside files
// (ObjectTree::urls); every list lookup is a hash probe per host label.
#include <algorithm>
#include <array>
#include <memory>
#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "common/ascii.h"
#include "intel/shared/shared_lists.h"
#include "analyzers/links/download_names.h"
#include "analyzers/links/url_shapes.h"
#include "common/ip_address.h"
#include "objects/remote_path.h"
#include "intel/brands/brand_list.h"
#include "intel/link_categories/link_categories.h"
#include "parse/url/url.h"

namespace vigie::analyzers::links {
namespace {

using intel::LinkCategory;
using intel::LinkCategoryEntry;
using verdict::FindingId;

constexpr std::size_t kMaxEvidencePerFinding = 5;
constexpr std::size_t kMaxEvidenceUrlBytes = 200;

struct State final : AnalyzerState {
  std::shared_ptr<const intel::LinkCategories> categories;
  std::shared_ptr<const intel::BrandList> brands;
};

// The findings this analyzer gathers before emitting, one slot each.
enum Slot : std::size_t {
  kMismatch, kTunnel, kWebhook, kIpfs, kDynamicDns, kFreeHosting, kFormBuilder, kFileSharing,
  kShortener, kImageHosting, kTemporaryMail, kIpLiteral, kUnusualPort, kUserinfo, kScriptOrData,
  kRedirect, kUncPath, kDangerousDownload, kCredentialForm, kFormExternal, kProtocolHandler, kSlotCount
};

constexpr std::array<FindingId, kSlotCount> kSlotFinding{
    FindingId::LINK_TEXT_DOMAIN_MISMATCH, FindingId::LINK_TUNNEL_SERVICE,
    FindingId::LINK_WEBHOOK_SERVICE,      FindingId::LINK_IPFS,
    FindingId::LINK_DYNAMIC_DNS,          FindingId::LINK_FREE_HOSTING,
    FindingId::LINK_FORM_BUILDER,         FindingId::LINK_FILE_SHARING,
    FindingId::LINK_SHORTENER,            FindingId::LINK_IMAGE_HOSTING,
    FindingId::LINK_TEMPORARY_MAIL,       FindingId::LINK_IP_LITERAL,
    FindingId::LINK_UNUSUAL_PORT,         FindingId::LINK_USERINFO_TRICK,
    FindingId::LINK_SCRIPT_OR_DATA_URI,   FindingId::LINK_REDIRECT,
    FindingId::LINK_UNC_PATH,             FindingId::LINK_DANGEROUS_DOWNLOAD,
    FindingId::CREDENTIAL_FORM,           FindingId::FORM_EXTERNAL_ACTION,
    FindingId::LINK_PROTOCOL_HANDLER,
};

// Which finding a category feeds, and how sure a link there makes us. Blogs and storage buckets
// carry plenty of legitimate content; a request catcher or a tunnel in a mail has no good reason.
struct CategoryWeight {
  Slot slot;
  double confidence;
};

std::optional<CategoryWeight> weight_of(LinkCategory category) {
  switch (category) {
    case LinkCategory::kTunnel: return CategoryWeight{kTunnel, 1.0};
    case LinkCategory::kWebhook: return CategoryWeight{kWebhook, 1.0};
    case LinkCategory::kMockApi: return CategoryWeight{kWebhook, 1.0};
    case LinkCategory::kIpfs: return CategoryWeight{kIpfs, 1.0};
    case LinkCategory::kDynamicDns: return CategoryWeight{kDynamicDns, 1.0};
    case LinkCategory::kFreeHosting: return CategoryWeight{kFreeHosting, 1.0};
    case LinkCategory::kSiteBuilder: return CategoryWeight{kFreeHosting, 0.9};
    case LinkCategory::kServerless: return CategoryWeight{kFreeHosting, 0.8};
    case LinkCategory::kCloudStorage: return CategoryWeight{kFreeHosting, 0.7};
    case LinkCategory::kCdn: return CategoryWeight{kFreeHosting, 0.5};
    case LinkCategory::kPaste: return CategoryWeight{kFreeHosting, 0.8};
    case LinkCategory::kBlog: return CategoryWeight{kFreeHosting, 0.4};
    case LinkCategory::kFormBuilder: return CategoryWeight{kFormBuilder, 1.0};
    case LinkCategory::kFileSharing: return CategoryWeight{kFileSharing, 1.0};
    case LinkCategory::kShortener: return CategoryWeight{kShortener, 1.0};
    case LinkCategory::kImageHosting: return CategoryWeight{kImageHosting, 1.0};
    case LinkCategory::kTemporaryMail: return CategoryWeight{kTemporaryMail, 0.8};
    case LinkCategory::kClickTracker:
    case LinkCategory::kOpenRedirect:
    case LinkCategory::kUrlWrapper: return std::nullopt;
  }
  return std::nullopt;
}

// Services whose users' pages live under sub-domains of a registrable domain the provider owns
// (x.duckdns.org, x.weebly.com): the bare domain and its www are the provider's site, not a use.
// Storage, CDNs and serverless platforms also serve users' content on the bare host
// (storage.googleapis.com/<bucket>/page.html), so they are not in this set.
bool serves_on_subdomains(LinkCategory category) {
  switch (category) {
    case LinkCategory::kFreeHosting: case LinkCategory::kSiteBuilder: case LinkCategory::kBlog:
    case LinkCategory::kTunnel: case LinkCategory::kDynamicDns: case LinkCategory::kIpfs:
      return true;
    default:
      return false;
  }
}

// URL schemes that make Windows start a local program with what follows the colon, and how sure
// a link to one makes us: a diagnostic tool, a file search or an Office command chosen by the
// sender has no place in mail. Sources: Microsoft's advisories for the CVEs named, and the
// scheme lists of Windows' registry (HKCR\<scheme>\URL Protocol).
struct ProtocolHandler {
  std::string_view scheme;
  LocalizedText tool;
  std::string_view cve;  // "" when the abuse has no CVE of its own
  double confidence;
};

const std::array<ProtocolHandler, 19>& protocol_handlers() {
  static const std::array<ProtocolHandler, 19> kHandlers{
      ProtocolHandler{"ms-msdt", {"Microsoft Support Diagnostic Tool", "outil de diagnostic du support Microsoft"}, "CVE-2022-30190 (Follina)", 1.0},
      ProtocolHandler{"search-ms", {"Windows Search, which lists files of a location the link chooses", "la recherche Windows, qui affiche les fichiers d'un emplacement choisi par le lien"}, "", 1.0},
      ProtocolHandler{"search", {"Windows Search, which lists files of a location the link chooses", "la recherche Windows, qui affiche les fichiers d'un emplacement choisi par le lien"}, "", 1.0},
      ProtocolHandler{"ms-officecmd", {"the Office launcher, with a command line", "le lanceur d'Office, avec une ligne de commande"}, "", 1.0},
      ProtocolHandler{"ms-appinstaller", {"App Installer, which installs a package from the link", "App Installer, qui installe un paquet désigné par le lien"}, "CVE-2021-43890", 1.0},
      ProtocolHandler{"mhtml", {"the MSHTML engine on a web archive", "le moteur MSHTML sur une archive web"}, "CVE-2021-40444", 1.0},
      ProtocolHandler{"mk", {"the compiled-help (CHM) reader", "le lecteur d'aide compilée (CHM)"}, "", 0.9},
      ProtocolHandler{"ms-its", {"the compiled-help (CHM) reader", "le lecteur d'aide compilée (CHM)"}, "", 0.9},
      ProtocolHandler{"its", {"the compiled-help (CHM) reader", "le lecteur d'aide compilée (CHM)"}, "", 0.9},
      ProtocolHandler{"vbscript", {"VBScript in Internet Explorer", "du VBScript dans Internet Explorer"}, "", 1.0},
      ProtocolHandler{"shell", {"Explorer on a shell folder", "l'Explorateur sur un dossier système"}, "", 0.8},
      ProtocolHandler{"ms-word", {"Word on a document the link names", "Word sur un document désigné par le lien"}, "", 0.6},
      ProtocolHandler{"ms-excel", {"Excel on a document the link names", "Excel sur un document désigné par le lien"}, "", 0.6},
      ProtocolHandler{"ms-powerpoint", {"PowerPoint on a document the link names", "PowerPoint sur un document désigné par le lien"}, "", 0.6},
      ProtocolHandler{"ms-visio", {"Visio on a document the link names", "Visio sur un document désigné par le lien"}, "", 0.6},
      ProtocolHandler{"ms-access", {"Access on a database the link names", "Access sur une base désignée par le lien"}, "", 0.6},
      ProtocolHandler{"ms-publisher", {"Publisher on a document the link names", "Publisher sur un document désigné par le lien"}, "", 0.6},
      ProtocolHandler{"ms-settings", {"the Settings app", "l'application Paramètres"}, "", 0.4},
      ProtocolHandler{"ms-cxh", {"the account set-up host", "l'hôte de configuration de compte"}, "", 0.6},
  };
  return kHandlers;
}

const ProtocolHandler* protocol_handler(std::string_view scheme) {
  for (const ProtocolHandler& handler : protocol_handlers()) {
    if (handler.scheme == scheme) return &handler;
  }
  return nullptr;
}

// Written where a reader follows it (an href, a form, a meta refresh, the text, a calendar
// property an invitation offers to open), whatever its scheme: javascript: and data: addresses and
// IPFS shapes count here too.
bool is_navigation(UrlSource source) {
  return source == UrlSource::kHref || source == UrlSource::kFormAction ||
         source == UrlSource::kMetaRefresh || source == UrlSource::kText ||
         source == UrlSource::kCalendarProperty;
}

// The reader sees where the link goes: the address is written out (plain text, or link text
// naming the same host). Hiding the destination behind "Click here" is what lures do; a personal
// site or a server address quoted in a discussion is not hidden.
bool destination_is_visible(const Url& url) {
  if (url.source == UrlSource::kText) return true;
  if (url.source != UrlSource::kHref || url.anchor_text.empty()) return false;
  const std::string shown = displayed_host(url.anchor_text);
  return !shown.empty() && shown == url.host_ascii();
}

// Categories whose pages are often a person's or a project's own site, so that a link the reader
// can read in full is weaker evidence; request catchers, tunnels and IPFS stay strong however shown.
bool is_weaker_when_visible(LinkCategory category) {
  switch (category) {
    case LinkCategory::kDynamicDns: case LinkCategory::kFreeHosting: case LinkCategory::kSiteBuilder:
    case LinkCategory::kBlog: case LinkCategory::kCloudStorage: case LinkCategory::kServerless:
    case LinkCategory::kCdn: case LinkCategory::kPaste: case LinkCategory::kFormBuilder: case LinkCategory::kFileSharing:
      return true;
    default:
      return false;
  }
}

constexpr double kVisibleFactor = 0.45;

bool is_embedded_resource(UrlSource source) {
  return source == UrlSource::kSrc || source == UrlSource::kSrcset || source == UrlSource::kCssUrl ||
         source == UrlSource::kOtherAttribute;
}

std::string bounded(std::string_view text) {
  if (text.size() <= kMaxEvidenceUrlBytes) return std::string(text);
  std::string out(text.substr(0, kMaxEvidenceUrlBytes));
  out += "…";
  return out;
}

// The link as written, then what was seen about it in parentheses, in English and French.
LocalizedText describe(const Url& url, const LocalizedText& detail) {
  const std::string link = bounded(url.raw().empty() ? url.normalized() : url.raw());
  if (detail.en.empty()) return {link, link};
  return {link + " (" + detail.en + ")", link + " (" + detail.fr + ")"};
}

// "; source: …", naming the list entry a finding rests on.
LocalizedText source_of(std::string_view source) {
  return {"; source: " + std::string(source), " ; source : " + std::string(source)};
}

LocalizedText operator+(const LocalizedText& a, const LocalizedText& b) { return {a.en + b.en, a.fr + b.fr}; }

class Collector {
 public:
  void add(Slot slot, Evidence evidence, double confidence) {
    Hit& hit = hits_[slot];
    hit.confidence = std::max(hit.confidence, confidence);
    if (hit.evidence.size() >= kMaxEvidencePerFinding) return;
    for (const Evidence& e : hit.evidence) {
      if (e.value == evidence.value) return;
    }
    hit.evidence.push_back(std::move(evidence));
  }
  void emit(FindingSink& sink) {
    for (std::size_t i = 0; i < kSlotCount; ++i) {
      if (hits_[i].confidence > 0) {
        sink.emit(kSlotFinding[i], std::move(hits_[i].evidence), hits_[i].confidence);
      }
    }
  }

 private:
  struct Hit {
    std::vector<Evidence> evidence;
    double confidence = 0;
  };
  std::array<Hit, kSlotCount> hits_;
};

// What one scan knows besides the lists: the sender's domains and the findings so far.
class Scan {
 public:
  Scan(const State& state, const facts::MessageFacts& facts, const ObjectTree& objects,
       std::uint32_t max_redirect_depth)
      : state_(state), profile_(facts.profile()), objects_(objects), max_redirect_depth_(max_redirect_depth) {
    for (const facts::Identity& identity : facts.identities()) {
      if (identity.field == facts::IdentityField::kReplyTo || identity.registrable.empty()) continue;
      if (!is_sender_domain(identity.registrable)) sender_domains_.push_back(identity.registrable);
    }
    for (const facts::Identity* from : facts.identities(facts::IdentityField::kFrom)) {
      for (std::uint32_t brand : state_.brands->owners(from->domain)) sender_brands_.push_back(brand);
    }
  }

  void link(const Url& url) {
    if (url.scheme() == "javascript" || url.scheme() == "data") {
      script_or_data(url);
      return;
    }
    if (url.scheme() == "mailto") {
      mailto(url);
      return;
    }
    if (is_unc(url)) {
      unc(url);
      return;
    }
    if (const ProtocolHandler* handler = protocol_handler(url.scheme())) {
      handler_link(url, *handler);
      return;
    }
    if (url.scheme() != "http" && url.scheme() != "https" && url.scheme() != "ftp") return;
    if (!url.valid || url.host_ascii().empty()) return;

    // A mail gateway's rewritten link (Safe Links, URL Defense): what matters is the wrapped URL.
    const Url* target = &url;
    Url unwrapped;
    const LinkCategoryEntry* entry = state_.categories->match(url.host_ascii(), url_path(url.normalized()));
    if (entry != nullptr && entry->category == LinkCategory::kUrlWrapper) {
      if (std::optional<Url> inner = wrapped_url(url)) {
        unwrapped = std::move(*inner);
        unwrapped.source = url.source;
        unwrapped.part = url.part;
        unwrapped.object = url.object;
        unwrapped.anchor_text = url.anchor_text;
        target = &unwrapped;
        entry = state_.categories->match(target->host_ascii(), url_path(target->normalized()));
      }
    }
    std::string redirect_domain;
    inspect(*target, entry, 0, redirect_domain);
    const std::string_view final_domain =
        redirect_domain.empty() ? target->registrable_domain() : std::string_view(redirect_domain);
    if (url.source == UrlSource::kHref && !url.anchor_text.empty()) {
      mismatch(*target, entry, final_domain);
    }
  }

  // \\host\share or file://host/share: Windows opens it over SMB (or WebDAV) and
  // authenticates with the reader's credentials (the CVE-2023-23397 family, threat-notes 3.3).
  // Only with a host Windows could reach: a host the URL parser refused (an unfilled template
  // such as file://%s%s, a '%' or a space in the name) names no machine to send credentials to.
  static bool is_unc(const Url& url) {
    if (!url.valid || url.host_ascii().empty() || url.host_ascii() == "localhost") return false;
    if (url.scheme() == "file") return true;
    return url.scheme().empty() && url.raw().starts_with("\\\\");
  }

  // The host Windows sends the reader's credentials to: \\host@SSL\share and file://host@SSL/
  // name host (over WebDAV), where the URL parser reads "host" as user information.
  void unc(const Url& url) {
    const std::optional<objects::RemotePath> remote = objects::remote_path(url.raw());
    const std::string host = bounded(remote ? std::string_view(remote->host) : url.host_ascii());
    const bool webdav = remote && remote->webdav;
    // Written out in text, the path is in plain sight and needs a click; as a link, an image or
    // an icon it is hidden or fetched by itself.
    found_.add(kUncPath,
               Evidence{object_of(url), "url",
                        describe(url, {(webdav ? "WebDAV share on " : "file share on ") + host,
                                       (webdav ? "partage WebDAV sur " : "partage de fichiers sur ") + host})},
               url.source == UrlSource::kText ? 0.7 : 1.0);
  }

  void handler_link(const Url& url, const ProtocolHandler& handler) {
    if (!is_navigation(url.source) && url.source != UrlSource::kSrc) return;
    const std::string lower = ascii::lowercase(url.raw());
    double confidence = handler.confidence;
    LocalizedText detail{"opens " + std::string(handler.tool.en), "ouvre " + std::string(handler.tool.fr)};
    // ms-word:ofe|u|https://...: opens (for editing) a document fetched from the URL.
    if (handler.confidence < 1.0 && (lower.find(":ofe|u|") != std::string::npos ||
                                     lower.find(":ofv|u|") != std::string::npos ||
                                     lower.find(":nft|u|") != std::string::npos)) {
      confidence = 0.9;
      detail = detail + LocalizedText{", on a document fetched from the address that follows",
                                      ", sur un document récupéré à l'adresse qui suit"};
    }
    // search-ms:...crumb=location:\\host\share: a folder on the sender's server shown as local.
    if (const std::size_t location = lower.find("location:"); location != std::string::npos) {
      std::string path = percent_decode(std::string_view(url.raw()).substr(location + 9));
      path = path.substr(0, path.find('&'));
      if (const std::optional<objects::RemotePath> remote = objects::remote_path(path)) {
        detail = detail + LocalizedText{", showing the share " + bounded(path), ", montrant le partage " + bounded(path)};
      }
    }
    if (!handler.cve.empty()) detail = detail + LocalizedText{"; " + std::string(handler.cve), " ; " + std::string(handler.cve)};
    if (url.source == UrlSource::kText) confidence *= 0.6;  // written out, not a live link everywhere
    found_.add(kProtocolHandler, Evidence{object_of(url), "url", describe(url, detail)}, confidence);
  }

  void address(const facts::Identity& identity, double confidence) {
    const LinkCategoryEntry* entry = state_.categories->match(identity.domain, {});
    if (entry == nullptr || entry->category != LinkCategory::kTemporaryMail) return;
    found_.add(kTemporaryMail,
               Evidence{facts::identity_location(identity.field),
                        LocalizedText{identity.mailbox.address() + " (temporary_mail", identity.mailbox.address() +
                                                                                          " (temporary_mail"} +
                            source_of(entry->source) + LocalizedText{")", ")"}},
               confidence);
  }

  Collector& found() { return found_; }
  std::size_t redirects_not_followed() const { return redirects_not_followed_; }
  bool is_sender_domain(std::string_view domain) const {
    return !domain.empty() && std::find(sender_domains_.begin(), sender_domains_.end(), domain) !=
                                  sender_domains_.end();
  }
  // The sender's domain, or a place of the brand whose domain the From address is at.
  bool is_sender_place(const Url& url) const {
    if (is_sender_domain(url.registrable_domain())) return true;
    return std::any_of(sender_brands_.begin(), sender_brands_.end(),
                       [&](std::uint32_t brand) { return state_.brands->serves(brand, url.host_ascii()); });
  }
  bool is_trusted(std::string_view registrable) const { return profile_.is_trusted_registrable(registrable); }
  const State& state() const { return state_; }
  // The object a link was read in: its part's, the message's for a link built here (a redirect's
  // target keeps its outer link's part).
  ObjectId object_of(const Url& url) const { return objects_.of_url(url); }
  ObjectId object_of_part(PartId part) const { return objects_.of_part(part); }

 private:
  static std::string lowercase(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    if (!out.empty() && out.back() == '.') out.pop_back();
    return out;
  }

  std::optional<Url> wrapped_url(const Url& url) const {
    std::optional<std::string> inner;
    for_each_query_parameter(url_query(url.normalized()), [&](std::string_view, std::string_view value) {
      if (!inner) inner = embedded_url(value);
    });
    if (!inner) {
      // URL Defense v3 carries the URL in the path: /v3/__https://target__;...
      const std::string_view path = url_path(url.normalized());
      const std::size_t start = path.find("__http");
      if (start != std::string_view::npos) {
        std::string_view rest = path.substr(start + 2);
        inner = std::string(rest.substr(0, rest.find("__")));
      }
    }
    if (!inner) return std::nullopt;
    Url parsed = parse::normalize_url(*inner, url.source);
    if (!parsed.valid || parsed.host_ascii().empty()) return std::nullopt;
    return parsed;
  }

  // Everything about where one link leads. `redirect_domain` receives the registrable domain of
  // the innermost redirect target, so the mismatch check compares the text with the real end.
  void inspect(const Url& url, const LinkCategoryEntry* entry, int depth, std::string& redirect_domain) {
    if (is_trusted(url.registrable_domain())) return;
    const bool own = is_sender_place(url);
    const std::string_view path = url_path(url.normalized());

    if (url.host_is_ip) ip_literal(url);
    if (url.port >= 0 && url.port != 80 && url.port != 443 && !url.host_is_ip && !own) {
      unusual_port(url);
    }
    if (!url.userinfo().empty() && url.scheme() != "ftp") userinfo(url);

    if (entry != nullptr && !own) category(url, *entry, path);
    download(url, path);
    if ((entry == nullptr || entry->category != LinkCategory::kIpfs) && is_navigation(url.source) &&
        looks_like_ipfs(url.host_ascii(), path)) {
      found_.add(kIpfs,
                 Evidence{object_of(url), "url",
                          describe(url, {"ipfs; source: IPFS gateway URL shape, "
                                         "https://docs.ipfs.tech/concepts/ipfs-gateway/",
                                         "ipfs ; source : forme d'URL d'une passerelle IPFS, "
                                         "https://docs.ipfs.tech/concepts/ipfs-gateway/"})},
                 1.0);
    }
    const std::string_view query = url_query(url.normalized());
    if (query.empty()) return;
    if (static_cast<std::uint32_t>(depth) >= max_redirect_depth_) {
      bool wraps_another = false;
      for_each_query_parameter(query, [&](std::string_view, std::string_view value) {
        wraps_another = wraps_another || embedded_url(value).has_value();
      });
      if (wraps_another) ++redirects_not_followed_;
      return;
    }
    const LinkCategory outer = entry ? entry->category : LinkCategory::kFreeHosting;
    const bool known_redirector = entry && outer == LinkCategory::kOpenRedirect;
    const bool tracker = entry && (outer == LinkCategory::kClickTracker || outer == LinkCategory::kUrlWrapper);
    bool reported = false;
    for_each_query_parameter(query, [&](std::string_view name, std::string_view value) {
      if (reported) return;
      std::optional<std::string> inner_text = embedded_url(value);
      if (!inner_text) return;
      Url inner = parse::normalize_url(*inner_text, url.source);
      if (!inner.valid || inner.host_ascii().empty()) return;
      inner.part = url.part;
      inner.object = url.object;
      if (inner.registrable_domain() == url.registrable_domain() && !inner.host_is_ip) return;
      reported = true;
      redirect_domain = inner.registrable_domain();
      const bool inner_trusted = is_trusted(inner.registrable_domain());
      if (!inner_trusted && !tracker && !own && is_navigation(url.source)) {
        double confidence = known_redirector ? 1.0 : is_redirect_parameter(name) ? 0.4 : 0;
        if (url.source == UrlSource::kText) confidence *= kVisibleFactor;
        if (confidence > 0) {
          found_.add(kRedirect,
                     Evidence{object_of(url), "url",
                              describe(url, LocalizedText{"forwards to " + bounded(inner.host_ascii()),
                                                          "renvoie vers " + bounded(inner.host_ascii())} +
                                                (known_redirector ? LocalizedText{"; open redirect", " ; redirection ouverte"} +
                                                                        source_of(entry->source)
                                                                  : LocalizedText{}))},
                     confidence);
        }
      }
      std::string deeper;
      const LinkCategoryEntry* inner_entry =
          state_.categories->match(inner.host_ascii(), url_path(inner.normalized()));
      inspect(inner, inner_entry, depth + 1, deeper);
      if (!deeper.empty()) redirect_domain = deeper;
    });
  }

  void category(const Url& url, const LinkCategoryEntry& entry, std::string_view path) {
    const std::optional<CategoryWeight> weight = weight_of(entry.category);
    if (!weight) return;
    if (weight->slot == kImageHosting ? !is_embedded_resource(url.source) : !is_navigation(url.source)) {
      return;
    }
    const bool at_vendor_root = url.host_ascii() == entry.host || (url.host_ascii().starts_with("www.") &&
                                                                 url.host_ascii().substr(4) == entry.host);
    if (at_vendor_root && !looks_like_ipfs(url.host_ascii(), path)) {  // ipfs.io/ipfs/<cid> is a use
      if (serves_on_subdomains(entry.category) && entry.path_prefix.empty() &&
          entry.host == url.registrable_domain()) {
        return;  // the provider's own site (www.duckdns.org), not a page someone put there
      }
      if (entry.path_prefix.empty() && (path.empty() || path == "/")) return;  // its home page
    }
    double confidence = weight->confidence;
    if (is_weaker_when_visible(entry.category) && destination_is_visible(url)) confidence *= kVisibleFactor;
    if (entry.category == LinkCategory::kCloudStorage || entry.category == LinkCategory::kServerless ||
        entry.category == LinkCategory::kCdn) {
      // A web page on a storage bucket or a CDN is a landing page someone uploaded.
      if (path.ends_with(".html") || path.ends_with(".htm") || path.ends_with(".shtml") ||
          path.ends_with(".php")) {
        confidence = 1.0;
      }
    }
    // The category's name is a key of the lists (cloud_storage, url_shortener), the same in both.
    const std::string name(intel::link_category_name(entry.category));
    const LocalizedText detail = LocalizedText{name, name} + source_of(entry.source);
    found_.add(weight->slot, Evidence{object_of(url), "url", describe(url, detail)}, confidence);
  }

  // A link that downloads a program or a script, a disk image or an archive (download_names.h):
  // documents are shared as pages or as documents, not as something to run or mount. Graded by
  // what opening the file does; a name read from a query parameter is a little less sure than one
  // the path ends with (the endpoint may serve something else).
  void download(const Url& url, std::string_view path) {
    if (url.source != UrlSource::kHref && url.source != UrlSource::kMetaRefresh && url.source != UrlSource::kText) {
      return;  // an image, a stylesheet or a form's target is not a download the reader starts
    }
    LocalizedText where{"end of the path", "fin du chemin"};
    double confidence = 1;
    std::optional<DownloadName> file = dangerous_download_in_path(path);
    if (!file) {
      std::string parameter;
      file = dangerous_download_in_query(url_query(url.normalized()), parameter);
      if (!file) return;
      where = {"named by the " + bounded(parameter) + "= parameter",
               "nommé par le paramètre " + bounded(parameter) + "="};
      confidence = 0.8;
    }
    switch (file->kind) {
      case DownloadKind::kExecutable: break;
      case DownloadKind::kDiskImage: confidence *= 0.7; break;
      case DownloadKind::kArchive: confidence *= 0.35; break;
    }
    // Software is distributed as disk images and archives (a Linux distribution's ISO quoted in a
    // mailing list): written out where the reader sees it, such a link is weak evidence. Behind
    // "View the invoice" it is a lure; a program or a script stays strong however shown.
    if (file->kind != DownloadKind::kExecutable && destination_is_visible(url)) confidence *= kVisibleFactor;
    LocalizedText detail{std::string(download_kind_name(file->kind)) + " " + bounded(file->file_name) + ", " + where.en,
                         std::string(download_kind_name_fr(file->kind)) + " " + bounded(file->file_name) + ", " +
                             where.fr};
    if (!file->disguised_as.empty()) {
      detail = detail + LocalizedText{"; double extension: shown as ." + file->disguised_as +
                                          " where Windows hides the real one",
                                      " ; double extension : se présente comme ." + file->disguised_as +
                                          ", Windows masquant la vraie extension"};
    }
    found_.add(kDangerousDownload, Evidence{object_of(url), "url", describe(url, detail)}, confidence);
  }

  void ip_literal(const Url& url) {
    const std::optional<IpAddress> ip = IpAddress::parse(
        url.host_ascii().starts_with('[') ? url.host_ascii().substr(1, url.host_ascii().size() - 2) : url.host_ascii());
    double confidence = 0.7;
    LocalizedText detail{"IP address", "adresse IP"};
    if (ip) {
      if (profile_.is_internal(*ip)) return;  // our own hosts
      if (ip->is_v4()) {
        const auto& b = ip->bytes;
        const bool private_range = b[0] == 10 || b[0] == 127 || (b[0] == 172 && (b[1] & 0xF0) == 16) ||
                                   (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254);
        if (private_range) {
          confidence = 0.25;  // a router or an intranet page: odd in mail, rarely a lure
          detail = {"private IP address", "adresse IP privée"};
        }
      }
    }
    if (is_obfuscated_ipv4(raw_host(url.raw()))) {
      confidence = 1.0;
      detail = {"IP address written as " + bounded(raw_host(url.raw())) + " to hide it",
                "adresse IP écrite " + bounded(raw_host(url.raw())) + " pour la masquer"};
    }
    if (is_embedded_resource(url.source)) confidence *= 0.5;  // an image from an IP: weaker
    if (destination_is_visible(url) && confidence < 1.0) confidence *= kVisibleFactor;
    found_.add(kIpLiteral, Evidence{object_of(url), "url", describe(url, detail)}, confidence);
  }

  void unusual_port(const Url& url) {
    const bool common_alternative = url.port == 8080 || url.port == 8443 || url.port == 8000 || url.port == 8888;
    found_.add(kUnusualPort, Evidence{object_of(url), "url", describe(url, {"port " + std::to_string(url.port), "port " + std::to_string(url.port)})},
               (common_alternative ? 0.5 : 1.0) * (destination_is_visible(url) ? kVisibleFactor : 1.0));
  }

  void userinfo(const Url& url) {
    // "paypal.com@evil.example": a domain before '@' is the deception itself; "user:pass@" less so.
    const bool looks_like_host = url.userinfo().find('.') != std::string::npos;
    found_.add(kUserinfo,
               Evidence{object_of(url), "url",
                        describe(url, {"shows " + bounded(url.userinfo()) + ", opens " + std::string(url.host_ascii()),
                                       "affiche " + bounded(url.userinfo()) + ", ouvre " +
                                           std::string(url.host_ascii())})},
               looks_like_host ? 1.0 : 0.3);
  }

  void script_or_data(const Url& url) {
    if (url.source == UrlSource::kText) return;  // written in prose, not a live link
    const std::string_view text = url.normalized().empty() ? std::string_view(url.raw()) : url.normalized();
    double confidence = 0;
    if (url.scheme() == "javascript") {
      bool strong = false;
      if (url.source != UrlSource::kHref && url.source != UrlSource::kFormAction &&
          url.source != UrlSource::kSrc && url.source != UrlSource::kMetaRefresh &&
          url.source != UrlSource::kCalendarProperty) {
        return;
      }
      if (!is_meaningful_javascript(text, strong)) return;
      confidence = strong ? 1.0 : 0.2;  // popUp(...) menus of old newsletters: barely a signal
    } else {
      if (!is_active_data_url(text)) return;
      confidence = is_navigation(url.source) ? 1.0 : 0.7;
    }
    found_.add(kScriptOrData, Evidence{object_of(url), "url", bounded(text)}, confidence);
  }

  void mailto(const Url& url) {
    std::string_view address = std::string_view(url.normalized()).substr(url.normalized().find(':') + 1);
    address = address.substr(0, address.find_first_of("?,;"));
    const std::size_t at = address.rfind('@');
    if (at == std::string_view::npos) return;
    const std::string domain = lowercase(percent_decode(address.substr(at + 1)));
    const LinkCategoryEntry* entry = state_.categories->match(domain, {});
    if (entry == nullptr || entry->category != LinkCategory::kTemporaryMail) return;
    found_.add(kTemporaryMail,
               Evidence{object_of(url), "url",
                        LocalizedText{bounded(address) + " (temporary_mail", bounded(address) + " (temporary_mail"} +
                            source_of(entry->source) + LocalizedText{")", ")"}},
               0.7);
  }

  void mismatch(const Url& url, const LinkCategoryEntry* entry, std::string_view final_domain) {
    const std::string shown_host = displayed_host(url.anchor_text);
    if (shown_host.empty()) return;
    const std::string shown = parse::registrable_domain(shown_host);
    if (shown.empty() || shown == url.registrable_domain() || shown == final_domain) return;
    if (is_trusted(url.registrable_domain()) || is_trusted(final_domain)) return;
    // bank.com shown, bank.co.uk reached: the same organisation's regional site.
    const auto first_label = [](std::string_view d) { return d.substr(0, d.find('.')); };
    if (first_label(shown) == first_label(url.registrable_domain()) ||
        first_label(shown) == first_label(final_domain)) {
      return;
    }
    // Newsletters show the advertised site over a link through their (or their provider's) click
    // tracker, so a mismatch alone is weak evidence; it is strong when the text names our own or a
    // partner's domain, or when the link really goes somewhere only a lure would.
    double confidence = 0.45;
    LocalizedText why;
    const bool tracked = (entry != nullptr && (entry->category == LinkCategory::kClickTracker ||
                                               entry->category == LinkCategory::kUrlWrapper)) ||
                         is_sender_domain(url.registrable_domain()) || looks_like_tracking(url);
    const bool lure_destination =
        url.host_is_ip || !url.userinfo().empty() ||
        (entry != nullptr && weight_of(entry->category).has_value() && entry->category != LinkCategory::kBlog &&
         entry->category != LinkCategory::kImageHosting);
    if (is_trusted(shown)) {
      confidence = 1.0;
      // Our own name on someone else's link.
      why = {"; the text names a protected or partner domain", " ; le texte nomme un domaine protégé ou partenaire"};
    } else if (lure_destination) {
      confidence = 0.8;
      why = {"; to a host of a kind lures use", " ; vers un hôte d'un type qu'utilisent les leurres"};
    } else if (tracked) {
      confidence = 0.15;
      why = {"; through a click tracker", " ; par un traceur de clics"};
    }
    if (!final_domain.empty() && final_domain != url.registrable_domain()) {
      why = why + LocalizedText{"; redirects to " + std::string(final_domain),
                                " ; redirige vers " + std::string(final_domain)};
    }
    found_.add(kMismatch,
               Evidence{object_of(url), "url",
                        LocalizedText{"text shows " + bounded(shown_host) + ", link goes to " +
                                          bounded(url.host_ascii()) + ": " + bounded(url.raw()),
                                      "le texte affiche " + bounded(shown_host) + ", le lien mène à " +
                                          bounded(url.host_ascii()) + " : " + bounded(url.raw())} +
                            why},
               confidence);
  }

  // Click-tracking links of providers not in the lists: a tracking word in the host or path
  // (click.example.net, /track/, /redirect) or an opaque token as the whole path.
  static bool looks_like_tracking(const Url& url) {
    static constexpr std::array<std::string_view, 9> kWords{
        "click", "track", "redir", "trk", "links.", "link.", "email.", "mail.", "/ls/"};
    std::string path(url_path(url.normalized()));
    for (char& c : path) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    for (std::string_view w : kWords) {
      if (url.host_ascii().find(w) != std::string::npos) return true;
      if (w.find('.') == std::string_view::npos && path.find(w) != std::string::npos) return true;
    }
    // /t/12337/850395/30/181/: a path of numeric ids is a mailing system's tracked link.
    int numeric_segments = 0;
    for (std::size_t start = 1; start < path.size();) {
      std::size_t end = path.find('/', start);
      if (end == std::string::npos) end = path.size();
      const std::string_view segment = std::string_view(path).substr(start, end - start);
      if (!segment.empty() && segment.find_first_not_of("0123456789") == std::string_view::npos) ++numeric_segments;
      start = end + 1;
    }
    return numeric_segments >= 3;
  }

  const State& state_;
  const facts::OrganisationProfile& profile_;
  const ObjectTree& objects_;
  const std::uint32_t max_redirect_depth_;
  std::size_t redirects_not_followed_ = 0;  // wrapped links past the depth limit, not examined
  std::vector<std::string> sender_domains_;
  std::vector<std::uint32_t> sender_brands_;  // brands owning the From domain
  Collector found_;
};

// ---- forms ----------------------------------------------------------

void forms(const ParsedMessage& message, Scan& scan) {
  for (PartId id : message.leaves()) {
    const HtmlContent* html = message.html(id);
    if (html == nullptr || html->forms.empty()) continue;
    const ObjectId object = scan.object_of_part(id);
    const std::string where = "form";
    for (const HtmlForm& form : html->forms) {
      if (form.has_password_input) {
        scan.found().add(kCredentialForm,
                         Evidence{object, where,
                                  form.action.empty()
                                      ? LocalizedText{"password input; form posts to (itself)",
                                                      "champ de mot de passe ; le formulaire s'envoie à lui-même"}
                                      : LocalizedText{"password input; form posts to " + bounded(form.action),
                                                      "champ de mot de passe ; le formulaire envoie à " +
                                                          bounded(form.action)}},
                         1.0);
      }
      if (form.action.empty() || form.input_count == 0) continue;
      const Url action = parse::normalize_url(form.action, UrlSource::kFormAction);
      if ((action.scheme() != "http" && action.scheme() != "https") || action.host_ascii().empty()) continue;
      if (scan.is_trusted(action.registrable_domain()) || scan.is_sender_domain(action.registrable_domain())) {
        continue;
      }
      double confidence = 0.25;  // a search or subscription box posting to a third party
      LocalizedText detail;
      const LinkCategoryEntry* entry =
          scan.state().categories->match(action.host_ascii(), url_path(action.normalized()));
      if (form.has_password_input || action.host_is_ip) confidence = 1.0;
      if (entry != nullptr && entry->category != LinkCategory::kClickTracker &&
          entry->category != LinkCategory::kOpenRedirect) {
        confidence = 1.0;
        const std::string name(intel::link_category_name(entry->category));
        detail = {"; " + name + ", source: " + entry->source, " ; " + name + ", source : " + entry->source};
      }
      scan.found().add(kFormExternal,
                       Evidence{object, where,
                                LocalizedText{"posts to " + bounded(form.action), "envoie à " + bounded(form.action)} +
                                    detail},
                       confidence);
    }
  }
}

void analyze(const ParsedMessage& message, const ScanContext& context, const AnalyzerState* state,
             FindingSink& sink) {
  const State& links_state = static_cast<const State&>(*state);
  Scan scan(links_state, context.facts, context.objects, context.limits.max_redirect_depth);
  for (const Url& url : message.urls()) scan.link(url);
  // Links read inside attached files by the object analyzers (a calendar invitation's).
  for (const Url& url : context.objects.urls()) scan.link(url);
  for (const facts::Identity& identity : context.facts.identities()) {
    if (identity.field == facts::IdentityField::kFrom) scan.address(identity, 0.8);
    if (identity.field == facts::IdentityField::kReplyTo) scan.address(identity, 1.0);
  }
  forms(message, scan);
  scan.found().emit(sink);
  if (scan.redirects_not_followed() > 0) {
    sink.limit_reached("max_redirect_depth", context.limits.max_redirect_depth + 1u, context.limits.max_redirect_depth,
                       LocalizedText{std::to_string(scan.redirects_not_followed()) +
                                         " links wrapped deeper than the redirect depth limit: their destinations not examined",
                                     std::to_string(scan.redirects_not_followed()) +
                                         " liens imbriqués au-delà de la profondeur de redirection permise : leurs "
                                         "destinations non examinées"});
  }
}

Result<std::shared_ptr<const AnalyzerState>> prepare(const AnalyzerSetup& setup) {
  auto state = std::make_shared<State>();
  Result<std::shared_ptr<const intel::LinkCategories>> categories = setup.lists.link_categories();
  if (!categories) return fail(categories.error());
  state->categories = std::move(*categories);
  Result<std::shared_ptr<const intel::BrandList>> brands = setup.lists.brands();
  if (!brands) return fail(brands.error());
  state->brands = std::move(*brands);
  return std::shared_ptr<const AnalyzerState>(std::move(state));
}

}  // namespace

const AnalyzerDescriptor& descriptor() {
  static const AnalyzerDescriptor kDescriptor{
      "links",
      "Deceptive links, links to services attackers borrow, URL tricks and credential forms",
      kSlotFinding,
      &prepare,
      &analyze,
  };
  return kDescriptor;
}

}  // namespace vigie::analyzers::links
