// Tests for the helpers admission relies on: content checks, API keys and their hashes, and
// redaction of keys wherever they appear.
#include "admissiontest.h"

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

class tst_AdmissionHelpers final : public AdmissionTest
{
    Q_OBJECT

private slots:
    // Helpers behind the checks.
    void classify_data();
    void classify();
    void isValidJson_data();
    void isValidJson();
    void deepJsonDoesNotCrash();
    void jsonProblem_data();
    void jsonProblem();
    void xmlProblem_data();
    void xmlProblem();
    void problemNeverEchoesTheBody();
    void isWellFormedXml_data();
    void isWellFormedXml();
    void xmlEntityExpansionIsBounded();
    void generateKey();
    void keysAreUnique();
    void hashIsSha256();
    void constantTimeEquals_data();
    void constantTimeEquals();
    void redactQuery_data();
    void redactQuery();
    void redactHeaders();
    void scrubKeys_data();
    void scrubKeys();
    void scrubKeyCutByAKeptPrefix();
};

void tst_AdmissionHelpers::classify_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<int>("kind");

    const auto add = [](const char *type, MediaKind kind) {
        QTest::addRow("%s", type) << QByteArray(type) << int(kind);
    };
    add("application/json", MediaKind::Json);
    add("application/json; charset=utf-8", MediaKind::Json);
    add("  application/json  ;charset=utf-8", MediaKind::Json);
    add("APPLICATION/JSON", MediaKind::Json);
    add("application/vnd.api+json", MediaKind::Json);
    add("application/problem+json", MediaKind::Json);
    add("application/xml", MediaKind::Xml);
    add("text/xml", MediaKind::Xml);
    add("text/xml; charset=iso-8859-1", MediaKind::Xml);
    add("application/atom+xml", MediaKind::Xml);
    add("application/soap+xml", MediaKind::Xml);
    add("application/x-www-form-urlencoded", MediaKind::Form);
    add("application/x-www-form-urlencoded;charset=UTF-8", MediaKind::Form);
    add("", MediaKind::Unsupported);
    add("text/plain", MediaKind::Unsupported);
    add("text/json", MediaKind::Unsupported);
    add("application/jsonx", MediaKind::Unsupported);
    add("+json", MediaKind::Unsupported);
    add("application/xhtml", MediaKind::Unsupported);
    add("multipart/form-data; boundary=x", MediaKind::Unsupported);
    add("application/json-seq", MediaKind::Unsupported);
}

void tst_AdmissionHelpers::classify()
{
    QFETCH(QByteArray, contentType);
    QFETCH(int, kind);
    QCOMPARE(int(ContentCheck::classify(contentType)), kind);
}

void tst_AdmissionHelpers::isValidJson_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("valid");

    const auto nested = [](int depth, const char *open, const char *close) {
        return QByteArray(open).repeated(depth) + QByteArray(close).repeated(depth);
    };
    // Valid: every kind of value may stand at top level (RFC 8259).
    QTest::addRow("empty object") << "{}"_ba << true;
    QTest::addRow("empty array") << "[]"_ba << true;
    QTest::addRow("zero") << "0"_ba << true;
    QTest::addRow("negative zero") << "-0"_ba << true;
    QTest::addRow("number with exponent") << "-12.5e+10"_ba << true;
    QTest::addRow("capital exponent") << "1E-3"_ba << true;
    QTest::addRow("string") << "\"text\""_ba << true;
    QTest::addRow("true") << "true"_ba << true;
    QTest::addRow("false") << "false"_ba << true;
    QTest::addRow("null") << "null"_ba << true;
    QTest::addRow("surrounding whitespace") << " \t\r\n{ \"a\" : [ 1 , 2 ] }\n"_ba << true;
    QTest::addRow("nested") << R"({"a":{"b":[null,true,{"c":"d"}]},"e":[]})"_ba << true;
    QTest::addRow("every escape") << R"("\" \\ \/ \b \f \n \r \t \u00e9 \uABCD")"_ba << true;
    QTest::addRow("escaped lone high surrogate") << R"("\uD800")"_ba << true;
    QTest::addRow("escaped lone low surrogate") << R"("\udc00")"_ba << true;
    QTest::addRow("UTF-8 two bytes") << "\"caf\xc3\xa9\""_ba << true;
    QTest::addRow("UTF-8 three bytes") << "\"\xe2\x82\xac\""_ba << true;
    QTest::addRow("UTF-8 four bytes") << "\"\xf0\x9f\x98\x80\""_ba << true;
    QTest::addRow("U+10FFFF") << "\"\xf4\x8f\xbf\xbf\""_ba << true;
    QTest::addRow("nesting 512 arrays") << nested(512, "[", "]") << true;
    QTest::addRow("nesting 512 mixed")
        << QByteArray("{\"a\":[").repeated(256) + QByteArray("]}").repeated(256) << true;
    // Invalid.
    QTest::addRow("empty") << QByteArray() << false;
    QTest::addRow("whitespace only") << " \n"_ba << false;
    QTest::addRow("unclosed object") << "{"_ba << false;
    QTest::addRow("unclosed array") << "[1,2"_ba << false;
    QTest::addRow("unclosed string") << "\"abc"_ba << false;
    QTest::addRow("array trailing comma") << "[1,]"_ba << false;
    QTest::addRow("object trailing comma") << R"({"a":1,})"_ba << false;
    QTest::addRow("leading comma") << "[,1]"_ba << false;
    QTest::addRow("missing colon") << R"({"a" 1})"_ba << false;
    QTest::addRow("unquoted key") << "{a:1}"_ba << false;
    QTest::addRow("single quotes") << "'a'"_ba << false;
    QTest::addRow("two values") << "1 2"_ba << false;
    QTest::addRow("garbage after value") << "{}x"_ba << false;
    QTest::addRow("leading zero") << "01"_ba << false;
    QTest::addRow("bare fraction") << ".5"_ba << false;
    QTest::addRow("dot without digits") << "1."_ba << false;
    QTest::addRow("plus sign") << "+1"_ba << false;
    QTest::addRow("lone minus") << "-"_ba << false;
    QTest::addRow("exponent without digits") << "1e"_ba << false;
    QTest::addRow("NaN") << "NaN"_ba << false;
    QTest::addRow("Infinity") << "Infinity"_ba << false;
    QTest::addRow("truncated literal") << "tru"_ba << false;
    QTest::addRow("capitalised literal") << "True"_ba << false;
    QTest::addRow("comment") << "/* c */ {}"_ba << false;
    QTest::addRow("unknown escape") << R"("\x41")"_ba << false;
    QTest::addRow("short unicode escape") << R"("\u12")"_ba << false;
    QTest::addRow("non-hex unicode escape") << R"("\u12G4")"_ba << false;
    QTest::addRow("raw control character") << "\"a\tb\""_ba << false;
    QTest::addRow("raw newline") << "\"a\nb\""_ba << false;
    QTest::addRow("NUL byte") << QByteArray("\"a\0b\"", 5) << false;
    QTest::addRow("bad UTF-8 byte") << "\"\xff\""_ba << false;
    QTest::addRow("bare continuation byte") << "\"\x80\""_ba << false;
    QTest::addRow("overlong slash") << "\"\xc0\xaf\""_ba << false;
    QTest::addRow("overlong three bytes") << "\"\xe0\x80\xaf\""_ba << false;
    QTest::addRow("UTF-8 encoded surrogate") << "\"\xed\xa0\x80\""_ba << false;
    QTest::addRow("truncated sequence") << "\"\xe2\x82\""_ba << false;
    QTest::addRow("beyond U+10FFFF") << "\"\xf4\x90\x80\x80\""_ba << false;
    QTest::addRow("Latin-1 outside strings") << "[1]\xe9"_ba << false;
    QTest::addRow("nesting 513 arrays") << nested(513, "[", "]") << false;
    QTest::addRow("nesting 513 objects")
        << QByteArray("{\"a\":").repeated(513) + "1" + QByteArray("}").repeated(513) << false;
}

void tst_AdmissionHelpers::isValidJson()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, valid);
    QCOMPARE(ContentCheck::isValidJson(body), valid);
    QCOMPARE(!ContentCheck::jsonProblem(body).has_value(), valid); // the two never disagree
}

void tst_AdmissionHelpers::deepJsonDoesNotCrash()
{
    // A hostile sender's nesting must be refused, not followed down the stack.
    const QByteArray deepArrays = QByteArray(1'000'000, '[') + QByteArray(1'000'000, ']');
    QVERIFY(!ContentCheck::isValidJson(deepArrays));
    const QByteArray deepObjects = QByteArray("{\"a\":").repeated(200'000);
    QVERIFY(!ContentCheck::isValidJson(deepObjects));
    const std::optional<BodyProblem> problem = ContentCheck::jsonProblem(deepObjects);
    QVERIFY(problem);
    QCOMPARE(int(problem->what), int(BodyProblem::What::TooDeep));
    QCOMPARE(problem->column, 512 * 5 + 1); // at the brace one level too deep
}

void tst_AdmissionHelpers::jsonProblem_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("described");

    QTest::addRow("first line") << R"({"a" 1})"_ba
                                << u"line 1, column 6: expected ':' after an object key"_s;
    QTest::addRow("after newlines") << "{\n  \"a\": 1,\n  \"b\" 2\n}"_ba
                                    << u"line 3, column 7: expected ':' after an object key"_s;
    QTest::addRow("CRLF line ends")
        << "[1,\r\n2 3]"_ba << u"line 2, column 3: expected ',' or ']' after an array element"_s;
    // Columns count characters: é and ü are two bytes each, the emoji four.
    QTest::addRow("multi-byte UTF-8")
        << "{\"caf\xc3\xa9\": \"\xc3\xbc\" x}"_ba
        << u"line 1, column 14: expected ',' or '}' after an object member"_s;
    QTest::addRow("four-byte UTF-8")
        << "[\"\xf0\x9f\x98\x80\"\n,\"\xf0\x9f\x98\x80\" 1]"_ba
        << u"line 2, column 6: expected ',' or ']' after an array element"_s;
    QTest::addRow("truncated object")
        << R"({"order":42)"_ba
        << u"line 1, column 12: expected ',' or '}' after an object member, found the end of the body"_s;
    QTest::addRow("truncated after colon") << R"({"a":)"_ba
                                           << u"line 1, column 6: expected a value (object, array, "
                                              "string, number, true, false or null), found the end "
                                              "of the body"_s;
    QTest::addRow("empty") << QByteArray()
                           << u"line 1, column 1: expected a value (object, array, string, number, "
                              "true, false or null), found the end of the body"_s;
    QTest::addRow("unclosed string, at its quote")
        << "[1,\n \"abc"_ba << u"line 2, column 2: a string starts here and is never closed"_s;
    QTest::addRow("trailing comma")
        << "[1,2,]"_ba
        << u"line 1, column 6: expected another element after ',' (JSON has no trailing commas)"_s;
    QTest::addRow("unquoted key") << "{a:1}"_ba
                                  << u"line 1, column 2: expected an object key in double quotes"_s;
    QTest::addRow("bad UTF-8") << "{\"a\":\"\xff\"}"_ba
                               << u"line 1, column 7: a string holds bytes that are not UTF-8"_s;
    QTest::addRow("control character") << "\"a\tb\""_ba
                                       << u"line 1, column 3: a control character in a string "
                                          "must be escaped"_s;
    QTest::addRow("unknown escape, at its backslash")
        << R"("ab\x41")"_ba << u"line 1, column 4: an unknown escape sequence in a string"_s;
    QTest::addRow("short unicode escape")
        << R"("\u12")"_ba << u"line 1, column 2: expected four hexadecimal digits after \\u"_s;
    QTest::addRow("lone minus")
        << "-"_ba << u"line 1, column 2: expected a digit in a number, found the end of the body"_s;
    QTest::addRow("misspelt literal")
        << "[tru]"_ba << u"line 1, column 5: expected true, false or null"_s;
    QTest::addRow("garbage after value")
        << "{}\n x"_ba << u"line 2, column 2: expected the end of the body after the JSON value"_s;
    QTest::addRow("nesting 513 arrays") << QByteArray(513, '[')
            + QByteArray(513, ']') << u"line 1, column 513: nested more than 512 levels deep"_s;
}

void tst_AdmissionHelpers::jsonProblem()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, described);
    QVERIFY(!ContentCheck::isValidJson(body));
    const std::optional<BodyProblem> problem = ContentCheck::jsonProblem(body);
    QVERIFY(problem);
    QCOMPARE(ContentCheck::describe(*problem), described);
}

void tst_AdmissionHelpers::xmlProblem_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("described");

    QTest::addRow("crossed tags, at the end tag")
        << "<a><b></a></b>"_ba
        << u"line 1, column 7: an end tag does not match the element it closes"_s;
    QTest::addRow("mismatch after newlines and UTF-8")
        << "<a>\n  <b>\xc3\xa9</b> <c>\xf0\x9f\x98\x80</d>\n</a>"_ba
        << u"line 2, column 16: an end tag does not match the element it closes"_s;
    QTest::addRow("unclosed") << "<order>\n<item/>"_ba
                              << u"line 2, column 8: an element is not closed, found the end of "
                                 "the body"_s;
    QTest::addRow("plain text") << "  just text"_ba
                                << u"line 1, column 3: expected a root element"_s;
    QTest::addRow("empty")
        << QByteArray()
        << u"line 1, column 1: expected a root element, found the end of the body"_s;
    QTest::addRow("declaration only")
        << R"(<?xml version="1.0"?>)"_ba
        << u"line 1, column 22: expected a root element, found the end of the body"_s;
    QTest::addRow("two roots, at the second")
        << "<a/>\n\n  <b/>"_ba
        << u"line 3, column 3: expected the end of the body after the root element"_s;
    QTest::addRow("bare ampersand")
        << "<a>fish & chips</a>"_ba << u"line 1, column 11: the XML is not well-formed here"_s;
}

void tst_AdmissionHelpers::xmlProblem()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, described);
    QVERIFY(!ContentCheck::isWellFormedXml(body));
    const std::optional<BodyProblem> problem = ContentCheck::xmlProblem(body);
    QVERIFY(problem);
    QCOMPARE(ContentCheck::describe(*problem), described);
}

// The detail goes to the log and the console: a sender's bytes in it could be anything.
void tst_AdmissionHelpers::problemNeverEchoesTheBody()
{
    for (const QByteArray &body : { "<s3cret:a/>"_ba, "<a>&s3cret;</a>"_ba, "<a s3cret=1/>"_ba,
             R"(<a s3cret="1" s3cret="2"/>)"_ba }) {
        const std::optional<BodyProblem> problem = ContentCheck::xmlProblem(body);
        QVERIFY2(problem, body.constData());
        QVERIFY2(!ContentCheck::describe(*problem).contains(u"s3cret"_s), body.constData());
    }
    for (const QByteArray &body : { R"({"s3cret" 1})"_ba, "[s3cret]"_ba, R"({"a":"s3cret)"_ba }) {
        const std::optional<BodyProblem> problem = ContentCheck::jsonProblem(body);
        QVERIFY2(problem, body.constData());
        QVERIFY2(!ContentCheck::describe(*problem).contains(u"s3cret"_s), body.constData());
    }
}

void tst_AdmissionHelpers::isWellFormedXml_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("wellFormed");

    QTest::addRow("empty element") << "<a/>"_ba << true;
    QTest::addRow("declaration and attributes")
        << R"(<?xml version="1.0" encoding="UTF-8"?><r a="1"><x>t</x></r>)"_ba << true;
    QTest::addRow("namespaces") << R"(<s:Envelope xmlns:s="urn:x"><s:Body/></s:Envelope>)"_ba
                                << true;
    QTest::addRow("CDATA and comment") << "<!-- c --><a><![CDATA[<not markup>]]></a>"_ba << true;
    QTest::addRow("predefined entities") << "<a>&lt;&amp;&gt;&quot;&apos;&#233;</a>"_ba << true;
    QTest::addRow("UTF-8 text") << "<a>caf\xc3\xa9</a>"_ba << true;
    QTest::addRow("empty") << QByteArray() << false;
    QTest::addRow("whitespace only") << "  \n"_ba << false;
    QTest::addRow("declaration only") << R"(<?xml version="1.0"?>)"_ba << false;
    QTest::addRow("plain text") << "hello"_ba << false;
    QTest::addRow("JSON") << R"({"a":1})"_ba << false;
    QTest::addRow("unclosed") << "<a><b/>"_ba << false;
    QTest::addRow("mismatched") << "<a></b>"_ba << false;
    QTest::addRow("crossed") << "<a><b></a></b>"_ba << false;
    QTest::addRow("two roots") << "<a/><b/>"_ba << false;
    QTest::addRow("unquoted attribute") << "<a x=1/>"_ba << false;
    QTest::addRow("duplicate attribute") << R"(<a x="1" x="2"/>)"_ba << false;
    QTest::addRow("bare ampersand") << "<a>fish & chips</a>"_ba << false;
    QTest::addRow("text after root") << "<a/>trailing"_ba << false;
    QTest::addRow("undeclared prefix") << "<x:a/>"_ba << false;
}

void tst_AdmissionHelpers::isWellFormedXml()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, wellFormed);
    QCOMPARE(ContentCheck::isWellFormedXml(body), wellFormed);
    QCOMPARE(!ContentCheck::xmlProblem(body).has_value(), wellFormed);
}

void tst_AdmissionHelpers::xmlEntityExpansionIsBounded()
{
    // "Billion laughs": a few hundred bytes that expand to gigabytes if entities are followed.
    QByteArray bomb
        = R"(<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lollollollollollollollollollol">)"_ba;
    for (int i = 1; i < 10; ++i) {
        const QByteArray previous = "&lol"_ba + QByteArray::number(i - 1) + ';';
        bomb += "<!ENTITY lol"_ba + QByteArray::number(i) + " \"" + previous.repeated(10) + "\">";
    }
    bomb += "]><lolz>&lol9;</lolz>"_ba;
    QElapsedTimer timer;
    timer.start();
    QVERIFY(!ContentCheck::isWellFormedXml(bomb));
    QVERIFY2(timer.elapsed() < 5000, "entity expansion was followed");
}

void tst_AdmissionHelpers::generateKey()
{
    const QString key = ApiKeys::generate();
    QVERIFY2(key.startsWith(u"htk_"_s), qPrintable(key));
    // 32 bytes in unpadded base64url are 43 characters.
    QCOMPARE(key.size(), 4 + 43);
    const QString body = key.mid(4);
    const bool urlSafe = std::all_of(body.begin(), body.end(), [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9')
            || c == u'-' || c == u'_';
    });
    QVERIFY2(urlSafe, qPrintable(key));
    const QByteArray raw = QByteArray::fromBase64(
        body.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    QCOMPARE(raw.size(), 32);
    QCOMPARE(ApiKeys::prefixOf(key), key.left(12));
}

void tst_AdmissionHelpers::keysAreUnique()
{
    QSet<QString> seen;
    for (int i = 0; i < 100; ++i)
        seen.insert(ApiKeys::generate());
    QCOMPARE(seen.size(), 100);
}

void tst_AdmissionHelpers::hashIsSha256()
{
    // FIPS 180-2 test vector.
    QCOMPARE(ApiKeys::hash("abc").toHex(),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"_ba);
    QCOMPARE(
        ApiKeys::hash(kValidKey), QCryptographicHash::hash(kValidKey, QCryptographicHash::Sha256));
    QCOMPARE(ApiKeys::hash(kValidKey).size(), 32);
    QVERIFY(ApiKeys::hash(kValidKey) != ApiKeys::hash(kRevokedKey));
}

void tst_AdmissionHelpers::constantTimeEquals_data()
{
    QTest::addColumn<QByteArray>("a");
    QTest::addColumn<QByteArray>("b");
    QTest::addColumn<bool>("equal");

    const QByteArray hash = ApiKeys::hash(kValidKey);
    QByteArray lastDiffers = hash;
    lastDiffers[lastDiffers.size() - 1] = char(lastDiffers.back() ^ 0x01);
    QByteArray firstDiffers = hash;
    firstDiffers[0] = char(firstDiffers.front() ^ 0x80);
    QTest::addRow("same hash") << hash << QByteArray(hash) << true;
    QTest::addRow("last bit differs") << hash << lastDiffers << false;
    QTest::addRow("first bit differs") << hash << firstDiffers << false;
    QTest::addRow("prefix of the other") << hash << hash.left(31) << false;
    QTest::addRow("longer than the other") << hash << hash + '\0' << false;
    QTest::addRow("both empty") << QByteArray() << QByteArray() << true;
    QTest::addRow("one empty") << hash << QByteArray() << false;
    QTest::addRow("NUL bytes compared")
        << QByteArray(4, '\0') << QByteArray("\0\0\0\1", 4) << false;
}

void tst_AdmissionHelpers::constantTimeEquals()
{
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);
    QFETCH(bool, equal);
    QCOMPARE(ApiKeys::constantTimeEquals(a, b), equal);
    QCOMPARE(ApiKeys::constantTimeEquals(b, a), equal);
}

void tst_AdmissionHelpers::redactQuery_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QByteArray>("redacted");

    QTest::addRow("empty") << QByteArray() << QByteArray();
    QTest::addRow("no key") << "a=1&b=2"_ba
                            << "a=1&b=2"_ba;
    QTest::addRow("only key") << "api-key="_ba + kValidKey << "api-key=***"_ba;
    QTest::addRow("key among others") << "a=1&api-key=htk_x&b=two+words"_ba
                                      << "a=1&api-key=***&b=two+words"_ba;
    QTest::addRow("percent-encoded name") << "api%2Dkey=htk_x&a=1"_ba
                                          << "api%2Dkey=***&a=1"_ba;
    QTest::addRow("lowercase percent-encoding") << "api%2dkey=htk_x"_ba
                                                << "api%2dkey=***"_ba;
    QTest::addRow("percent-encoded value") << "api-key=htk%5Fx"_ba
                                           << "api-key=***"_ba;
    QTest::addRow("repeated key") << "api-key=one&api-key=two"_ba
                                  << "api-key=***&api-key=***"_ba;
    QTest::addRow("empty value") << "api-key=&a=1"_ba
                                 << "api-key=***&a=1"_ba;
    QTest::addRow("similar names kept") << "api-keys=1&xapi-key=2&api_key=3"_ba
                                        << "api-keys=1&xapi-key=2&api_key=3"_ba;
    QTest::addRow("key name as a value kept") << "field=api-key"_ba
                                              << "field=api-key"_ba;
}

void tst_AdmissionHelpers::redactQuery()
{
    QFETCH(QByteArray, query);
    QFETCH(QByteArray, redacted);
    QCOMPARE(Redaction::redactQuery(query), redacted);
}

void tst_AdmissionHelpers::redactHeaders()
{
    const HeaderList headers {
        { "Host"_ba, "127.0.0.1:8080"_ba },
        { "X-Api-Key"_ba, kValidKey },
        { "Content-Type"_ba, "application/json"_ba },
        { "authorization"_ba, "Bearer abc"_ba },
        { "COOKIE"_ba, "session=1"_ba },
        { "x-api-key"_ba, "second"_ba },
        { "Cookie"_ba, "other=2"_ba },
        { "X-Api-Key-Id"_ba, "kept"_ba },
        { "X-Source"_ba, "crm"_ba },
    };
    const HeaderList expected {
        { "Host"_ba, "127.0.0.1:8080"_ba },
        { "X-Api-Key"_ba, "***"_ba },
        { "Content-Type"_ba, "application/json"_ba },
        { "authorization"_ba, "***"_ba },
        { "COOKIE"_ba, "***"_ba },
        { "x-api-key"_ba, "***"_ba },
        { "Cookie"_ba, "***"_ba },
        { "X-Api-Key-Id"_ba, "kept"_ba },
        { "X-Source"_ba, "crm"_ba },
    };
    QCOMPARE(Redaction::redactHeaders(headers), expected);
}

void tst_AdmissionHelpers::scrubKeys_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QByteArray>("scrubbed");
    const QByteArray key = "htk_" + QByteArray(43, 'A').replace(5, 3, "-_9"); // a key's shape

    QTest::addRow("empty") << QByteArray() << QByteArray();
    QTest::addRow("no key") << "{\"a\":\"https://example/htk\"}"_ba
                            << "{\"a\":\"https://example/htk\"}"_ba;
    QTest::addRow("alone") << key << "***"_ba;
    QTest::addRow("in text") << "k=" + key + "&x=1"
                             << "k=***&x=1"_ba;
    QTest::addRow("at the very end") << "Bearer " + key << "Bearer ***"_ba;
    QTest::addRow("two in a row, then more") << key + key + "tail"
                                             << "******tail"_ba;
    QTest::addRow("longer run: the first 47 go") << key + "BBB"
                                                 << "***BBB"_ba;
    QTest::addRow("one short is not a key") << key.chopped(1) << key.chopped(1);
    QTest::addRow("a character off the alphabet")
        << QByteArray(key).replace(20, 1, ".") << QByteArray(key).replace(20, 1, ".");
    QTest::addRow("a false start before a key") << "htk_x " + key << "htk_x ***"_ba;
    QTest::addRow("a prefix inside a key") << "htk_htk_" + key.mid(8) + "A"
                                           << "***A"_ba;
}

void tst_AdmissionHelpers::scrubKeys()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QByteArray, scrubbed);
    QByteArray out = bytes;
    const char *before = out.constData();
    QCOMPARE(Redaction::scrubKeys(out), bytes != scrubbed);
    QCOMPARE(out, scrubbed);
    if (bytes == scrubbed)
        QCOMPARE(out.constData(), before); // not copied
    QString text = QString::fromLatin1(bytes);
    QCOMPARE(Redaction::scrubKeys(text), bytes != scrubbed);
    QCOMPARE(text, QString::fromLatin1(scrubbed));
}

// A rejected body keeps only a prefix; a key that the cut leaves incomplete is dropped with it,
// whatever is left of it, since a few missing characters are no protection.
void tst_AdmissionHelpers::scrubKeyCutByAKeptPrefix()
{
    const QByteArray key = "htk_" + QByteArray(43, 'Q');
    for (qsizetype kept = 4; kept < Redaction::KeyLength; ++kept) {
        LoggedRequest entry;
        entry.body = "{\"token\":\"" + key.left(kept);
        entry.bodyTruncated = true;
        Redaction::scrubKeys(entry);
        QCOMPARE(entry.body, "{\"token\":\""_ba);
    }
    LoggedRequest whole; // a body that is all there keeps what is not a whole key
    whole.body = "see " + key.left(20);
    Redaction::scrubKeys(whole);
    QCOMPARE(whole.body, "see " + key.left(20));
    LoggedRequest ended; // and a cut body whose end is no key is left alone
    ended.body = key + " and htk_ then more";
    ended.bodyTruncated = true;
    Redaction::scrubKeys(ended);
    QCOMPARE(ended.body, "*** and htk_ then more"_ba);
}

QTEST_GUILESS_MAIN(tst_AdmissionHelpers)
#include "tst_admission_helpers.moc"
