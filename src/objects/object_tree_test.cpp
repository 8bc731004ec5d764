// The object tree: MIME leaves and attached messages as objects, paths an analyst can read.
#include "vigie/object.h"

#include <gtest/gtest.h>

#include "objects/mime_objects.h"

namespace vigie::objects {
namespace {

std::unique_ptr<ParsedMessage> parse(const std::string& raw) {
  auto message = ParsedMessage::parse(std::make_shared<const std::string>(raw), Limits{});
  message->decode_all();
  return message;
}

const std::string kNested =
    "From: a@example.org\nContent-Type: multipart/mixed; boundary=outer\n\n"
    "--outer\nContent-Type: text/plain\n\nbody\n"
    "--outer\nContent-Type: application/pdf; name=invoice.pdf\nContent-Transfer-Encoding: base64\n\n"
    "JVBERi0xLjQK\n"
    "--outer\nContent-Type: message/rfc822\n\n"
    "From: b@example.org\nContent-Type: multipart/alternative; boundary=inner\n\n"
    "--inner\nContent-Type: text/plain\n\ninner text\n"
    "--inner\nContent-Type: text/html\nContent-Disposition: attachment; filename=page.html\n\n<form></form>\n"
    "--inner--\n"
    "--outer--\n";

TEST(ObjectTreeTest, MimeLeavesAndAttachedMessagesAreObjects) {
  const auto message = parse(kNested);
  ObjectTree tree(message->raw());
  add_mime_objects(*message, tree);
  // message, text body, pdf, attached message, its two leaves
  ASSERT_EQ(tree.size(), 6u);
  EXPECT_EQ(tree.root().origin, ObjectOrigin::kMessage);
  EXPECT_EQ(tree.root().size(), message->raw().size());

  const Object& body = tree.at(1);
  EXPECT_EQ(body.origin, ObjectOrigin::kMimePart);
  EXPECT_FALSE(body.is_file());
  EXPECT_EQ(body.declared_type, "text/plain");

  const Object& pdf = tree.at(2);
  EXPECT_TRUE(pdf.is_file());
  EXPECT_EQ(pdf.filename, "invoice.pdf");
  EXPECT_EQ(pdf.detected_type, "application/pdf");
  EXPECT_EQ(pdf.bytes(), "%PDF-1.4\n");
  // sha256() alone (what the output lists) and the full set agree, whichever is asked first.
  EXPECT_EQ(pdf.sha256(), "e5c62df5dab5c87b6a015ef3d43597074d1eec433b15f51aec63b8582d0e4ab4");
  EXPECT_EQ(pdf.hashes().sha256, message->hashes(pdf.part).sha256);
  EXPECT_EQ(pdf.sha256(), pdf.hashes().sha256);

  const Object& attached = tree.at(3);
  EXPECT_EQ(attached.origin, ObjectOrigin::kAttachedMessage);
  EXPECT_TRUE(attached.is_file());
  const Object& page = tree.at(5);
  EXPECT_EQ(page.parent, attached.id);
  EXPECT_EQ(page.depth, 2u);
  EXPECT_TRUE(page.is_file());
  EXPECT_EQ(tree.path(page.id),
            "part " + std::to_string(attached.part) + " > part " + std::to_string(page.part) + " (page.html)");
  EXPECT_EQ(tree.path(kMessageObject), "message");
}

TEST(ObjectTreeTest, PartsMapToTheirObjectOrTheNearestOneAbove) {
  const auto message = parse(kNested);
  ObjectTree tree(message->raw());
  add_mime_objects(*message, tree);
  EXPECT_EQ(tree.of_part(0), kMessageObject);
  EXPECT_EQ(tree.of_part(tree.at(2).part), 2u);
  // The attached message's own multipart/alternative root belongs to the attached message.
  const PartId attached = tree.at(3).part;
  const PartId inner_root = message->part(attached).children.front();
  EXPECT_EQ(tree.of_part(inner_root), 3u);
  EXPECT_EQ(tree.of_part(kNoPart), kMessageObject);
  EXPECT_EQ(tree.of_part(999), kMessageObject);
}

TEST(ObjectTreeTest, ExtractedObjectsOwnTheirBytesAndNameThePath) {
  ObjectTree tree("raw");
  Object zip;
  zip.origin = ObjectOrigin::kMimePart;
  zip.part = 2;
  zip.filename = "invoice.zip";
  zip.set_content("PK\x03\x04", true);
  const ObjectId zip_id = tree.add(std::move(zip), kMessageObject).id;
  Object lnk;
  lnk.origin = ObjectOrigin::kArchiveMember;
  lnk.filename = "invoice.pdf.lnk";
  lnk.own_content(std::make_shared<const std::string>("shortcut"), true);
  const Object& stored = tree.add(std::move(lnk), zip_id);
  EXPECT_EQ(stored.depth, 2u);
  EXPECT_EQ(stored.bytes(), "shortcut");
  EXPECT_EQ(tree.path(stored.id), "part 2 (invoice.zip) > invoice.pdf.lnk");
  Object unnamed;
  unnamed.origin = ObjectOrigin::kEmbedded;
  const ObjectId unnamed_id = tree.add(std::move(unnamed), stored.id).id;
  EXPECT_EQ(tree.path(unnamed_id), "part 2 (invoice.zip) > invoice.pdf.lnk > #3");
  EXPECT_EQ(object_flag_names(kObjectEncrypted | kObjectNotExamined),
            (std::vector<std::string_view>{"encrypted", "not_examined"}));
}

}  // namespace
}  // namespace vigie::objects
