// Test support for object analyzers: a message carrying one attachment (base64, 76-column
// lines), the way a mailer sends a file, so that a test states only the file. Not part of the
// engine.
#pragma once

#include <openssl/evp.h>

#include <string>
#include <string_view>

namespace vigie::analyzers::testing {

inline std::string base64_lines(std::string_view bytes) {
  std::string out;
  for (std::size_t at = 0; at < bytes.size(); at += 57) {  // 57 bytes make a 76-column line
    const std::string_view chunk = bytes.substr(at, 57);
    std::string line(4 * ((chunk.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(line.data()),
                                  reinterpret_cast<const unsigned char*>(chunk.data()), static_cast<int>(chunk.size()));
    line.resize(static_cast<std::size_t>(n));
    out += line + "\n";
  }
  return out;
}

inline std::string with_attachment(std::string_view filename, std::string_view content,
                                   std::string_view type = "application/octet-stream",
                                   std::string_view from = "expediteur@exterieur.example") {
  return "From: " + std::string(from) + "\nTo: agent@interieur.gouv.fr\nSubject: Documents\n"
         "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n"
         "--b\nContent-Type: text/plain; charset=utf-8\n\nVeuillez trouver le document ci-joint.\n"
         "--b\nContent-Type: " + std::string(type) + "; name=\"" + std::string(filename) + "\"\n"
         "Content-Transfer-Encoding: base64\nContent-Disposition: attachment; filename=\"" +
         std::string(filename) + "\"\n\n" + base64_lines(content) + "--b--\n";
}

}  // namespace vigie::analyzers::testing
