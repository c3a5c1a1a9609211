// The receiver under attack, faults and overload: garbage senders, slow and idle clients, the
// connection cap, a full, read-only or locked disk, key checks and secrets, a log that falls
// behind. Real HTTP over loopback, real SQLite files; each test function well under a minute.
#include "core/base/diskspace.h"
#include "core/history/curlcommand.h"
#include "core/history/requestexport.h"
#include "core/model/apikey.h"
#include "core/receiver/configcache.h"
#include "core/receiver/engine.h"
#include "core/receiver/receiver.h"
#include "core/store/logwriter.h"
#include "core/store/store.h"
#include "testsupport.h"

#include <QBuffer>
#include <QDir>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QMutex>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QSettings>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QStandardPaths>
#include <QStorageInfo>
#include <QTest>
#include <QThread>
#include <QUuid>

#include <arpa/inet.h>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <linux/fs.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

namespace {

constexpr int kRetryAfter = 5;

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

// The seed of the garbage sender, printed so that a failure can be replayed.
constexpr quint32 kGarbageSeed = 0x5eed2026;

// A receiver on a database file of the test's choosing, with one webhook (POST and PUT) and
// one API key, and the test's own connection to the same file for arranging and checking.
class Site final
{
    Q_DISABLE_COPY_MOVE(Site)
public:
    Site() = default;
    ~Site() { close(); }

    bool open(const QString &databasePath, const ReceiverOptions &options)
    {
        m_path = databasePath;
        auto store = Store::openSqlite(databasePath);
        if (!store)
            return fail(u"store: "_s + store.error());
        m_store = std::move(store).value();
        Webhook webhook;
        webhook.name = u"hardened"_s;
        webhook.methods = QStringList { u"POST"_s, u"PUT"_s };
        auto added = m_store->config().addWebhook(webhook);
        if (!added)
            return fail(u"webhook: "_s + added.error());
        m_webhook = *added;
        auto key = m_store->config().addKey(u"hardening key"_s);
        if (!key)
            return fail(u"key: "_s + key.error());
        m_key = *key;
        m_engine = std::make_unique<Engine>(Engine::sqliteFactory(databasePath));
        if (const Status opened = m_engine->open(); !opened)
            return fail(u"engine: "_s + opened.error());
        if (const Status started = m_engine->startReceiver(options); !started)
            return fail(u"receiver: "_s + started.error());
        return true;
    }

    void close()
    {
        m_engine.reset();
        m_store.reset();
    }

    QString error() const { return m_error; }
    QString databasePath() const { return m_path; }
    Engine *engine() const { return m_engine.get(); }
    Store *store() const { return m_store.get(); }
    Webhook &webhook() { return m_webhook; }
    const NewApiKey &key() const { return m_key; }
    QByteArray secret() const { return m_key.secret.toLatin1(); }
    quint16 port() const { return m_engine->receiver()->port(); }

    QByteArray target(QByteArrayView query = {}) const
    {
        QByteArray out = "/v1/data/webhook/" + m_webhook.id.toLatin1();
        if (!query.isEmpty())
            out += '?' + query.toByteArray();
        return out;
    }
    QByteArray keyQuery() const { return "api-key=" + secret(); }
    QByteArray acceptedRequest(QByteArrayView body = R"({"event":"signup","n":1})") const
    {
        return httpRequest("POST", target(keyQuery()), "Content-Type: application/json\r\n", body);
    }
    // Every logged row by id, read through the test's connection.
    QHash<qint64, LoggedRequest> rows() const
    {
        const auto rows = loggedRequests(*m_store);
        return rows ? *rows : QHash<qint64, LoggedRequest>();
    }

private:
    bool fail(const QString &error)
    {
        m_error = error;
        return false;
    }

    QString m_path;
    QString m_error;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<Engine> m_engine;
    Webhook m_webhook;
    NewApiKey m_key;
};

ReceiverOptions baseOptions()
{
    ReceiverOptions options;
    options.address = QHostAddress(QHostAddress::LocalHost);
    options.port = 0;
    options.threads = 2;
    options.retryAfterSeconds = kRetryAfter;
    options.instance = u"hardening"_s;
    return options;
}

// One request of the garbage sender and what the sender knows of it.
struct GarbageCase
{
    QByteArray bytes;
    const char *kind = "";
};

// Deterministic hostile input: malformed requests of every kind the parser must refuse, and
// valid requests with bytes flipped, inserted, dropped or cut off.
class GarbageGenerator final
{
public:
    GarbageGenerator(quint32 seed, QByteArray webhookPath, QByteArray secret)
        : m_random(seed), m_path(std::move(webhookPath)), m_secret(std::move(secret))
    { }

    GarbageCase next()
    {
        switch (m_random.bounded(20)) {
        case 0:
            return { randomBytes(1 + m_random.bounded(400)), "random bytes" };
        case 1:
            return { randomLines(), "random text lines" };
        case 2:
            return { badMethod(), "bad method" };
        case 3:
            return { hugeHeaders(), "huge headers" };
        case 4:
        case 5:
            return { badContentLength(), "bad Content-Length" };
        case 6:
            return { withNul(), "NUL byte" };
        case 7:
            return { badUtf8(), "bad UTF-8" };
        case 8:
        case 9:
            return { chunkedAbuse(), "chunked abuse" };
        case 10:
            return { lineEndings(), "bare LF / CR" };
        case 11:
            return { obsFold(), "obs-fold" };
        case 12:
            return { versions(), "HTTP/0.9 and other versions" };
        case 13:
            return { oddTargets(), "odd targets" };
        case 14:
            return { expectContinue(), "Expect" };
        case 15:
            return { validRequest() + mutated(), "pipelined valid then mutated" };
        case 16:
            return { validRequest(), "valid" };
        default:
            return { mutated(), "mutated valid" };
        }
    }

    int bounded(int n) { return int(m_random.bounded(n)); }

private:
    QByteArray randomBytes(int n)
    {
        QByteArray out(n, Qt::Uninitialized);
        for (char &c : out)
            c = char(m_random.bounded(256));
        return out;
    }
    char printable() { return char(0x20 + m_random.bounded(0x5f)); }
    QByteArray pick(std::initializer_list<QByteArray> options)
    {
        return *(options.begin() + m_random.bounded(int(options.size())));
    }
    QByteArray randomLines()
    {
        QByteArray out;
        const int lines = 1 + m_random.bounded(6);
        for (int i = 0; i < lines; ++i) {
            const int length = m_random.bounded(80);
            for (int j = 0; j < length; ++j)
                out += printable();
            out += "\r\n";
        }
        return out + "\r\n";
    }
    QByteArray keyPart(QByteArray *headers)
    {
        // The key as the contract takes it, a wrong one, or none.
        switch (m_random.bounded(5)) {
        case 0:
            return keyQueryPart(m_secret);
        case 1:
            *headers += "X-Api-Key: " + m_secret + "\r\n";
            return {};
        case 2:
            return keyQueryPart("htk_" + randomBytes(8).toHex());
        case 3:
            return keyQueryPart(m_secret.chopped(1) + 'x');
        default:
            return {};
        }
    }
    static QByteArray keyQueryPart(const QByteArray &key) { return "?api-key=" + key; }
    QByteArray path()
    {
        switch (m_random.bounded(6)) {
        case 0:
            return "/v1/data/webhook/"
                + QUuid::createUuid().toString(QUuid::WithoutBraces).toLatin1();
        case 1:
            return "/v1/data/webhook/not-a-uuid";
        case 2:
            return "/";
        default:
            return m_path;
        }
    }
    QByteArray body(QByteArray *headers)
    {
        switch (m_random.bounded(6)) {
        case 0:
            return {};
        case 1:
            *headers += "Content-Type: application/xml\r\n";
            return "<event><n>" + QByteArray::number(m_random.bounded(1000)) + "</n></event>";
        case 2:
            *headers += "Content-Type: application/x-www-form-urlencoded\r\n";
            return "a=1&b=" + QByteArray::number(m_random.bounded(1000));
        case 3:
            *headers += "Content-Type: text/plain\r\n";
            return "plain text";
        default:
            *headers += "Content-Type: application/json\r\n";
            return R"({"event":"order","n":)" + QByteArray::number(m_random.bounded(100000)) + '}';
        }
    }
    QByteArray validRequest()
    {
        QByteArray headers;
        const QByteArray query = keyPart(&headers);
        const QByteArray payload = body(&headers);
        const QByteArray method = pick({ "POST", "POST", "PUT", "GET", "DELETE", "PATCH" });
        if (m_random.bounded(5) == 0) { // chunked, in pieces
            QByteArray out = method + ' ' + path() + query + " HTTP/1.1\r\nHost: h\r\n" + headers
                + "Transfer-Encoding: chunked\r\n\r\n";
            for (qsizetype at = 0; at < payload.size();) {
                const qsizetype piece
                    = std::min<qsizetype>(1 + m_random.bounded(20), payload.size() - at);
                out += QByteArray::number(piece, 16) + "\r\n" + payload.mid(at, piece) + "\r\n";
                at += piece;
            }
            return out + "0\r\n\r\n";
        }
        return httpRequest(method, path() + query, headers, payload);
    }
    QByteArray mutated()
    {
        QByteArray bytes = validRequest();
        const int operations = 1 + m_random.bounded(4);
        for (int i = 0; i < operations && !bytes.isEmpty(); ++i) {
            const qsizetype at = m_random.bounded(int(bytes.size()));
            switch (m_random.bounded(5)) {
            case 0:
                bytes[at] = char(bytes[at] ^ (1 << m_random.bounded(8)));
                break;
            case 1:
                bytes.insert(at, char(m_random.bounded(256)));
                break;
            case 2:
                bytes.remove(at, 1 + m_random.bounded(8));
                break;
            case 3:
                bytes.insert(at, bytes.mid(at, 1 + m_random.bounded(30)));
                break;
            default:
                bytes.truncate(at);
                break;
            }
        }
        return bytes;
    }
    QByteArray badMethod()
    {
        const QByteArray method
            = pick({ ""_ba, "G ET"_ba, "p@st"_ba, QByteArray(3000, 'P'), "POST\t"_ba,
                "\xc3\x9c"
                "BER"_ba,
                "CONNECT"_ba, "TRACE"_ba, "OPTIONS"_ba, "pOsT"_ba });
        return method + ' ' + m_path + keyQueryPart(m_secret) + " HTTP/1.1\r\nHost: h\r\n\r\n";
    }
    QByteArray hugeHeaders()
    {
        switch (m_random.bounded(4)) {
        case 0: // one enormous value
            return httpRequest("POST", m_path + keyQueryPart(m_secret),
                "X-Big: " + QByteArray(70 * 1024, 'b') + "\r\n", "{}");
        case 1: { // very many small headers
            QByteArray headers;
            for (int i = 0; i < 9000; ++i)
                headers += "X-" + QByteArray::number(i) + ": v\r\n";
            return httpRequest("POST", m_path + keyQueryPart(m_secret), headers, "{}");
        }
        case 2: // an enormous target
            return httpRequest("POST", m_path + "?pad=" + QByteArray(70 * 1024, 'q'));
        default: // an enormous header name, no colon in sight
            return "POST " + m_path + " HTTP/1.1\r\n" + QByteArray(70 * 1024, 'N');
        }
    }
    QByteArray badContentLength()
    {
        const QByteArray value = pick({ "-1"_ba, "abc"_ba, "1e3"_ba, " 12"_ba, "+12"_ba, "0x10"_ba,
            "99999999999999999999999"_ba, "9223372036854775807"_ba, "9223372036854775808"_ba,
            "12, 13"_ba, "2\r\nContent-Length: 3"_ba, "2\r\nContent-Length: 2"_ba, ""_ba, "100"_ba,
            "2\r\nTransfer-Encoding: chunked"_ba });
        return "POST " + m_path + keyQueryPart(m_secret)
            + " HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: " + value
            + "\r\n\r\n{}";
    }
    QByteArray withNul()
    {
        QByteArray bytes = validRequest();
        bytes.insert(m_random.bounded(int(bytes.size())), '\0');
        return bytes;
    }
    QByteArray badUtf8()
    {
        const QByteArray bad = pick(
            { "\xff\xfe"_ba, "\xc0\xaf"_ba, "\xed\xa0\x80"_ba, "\x80"_ba, "\xf4\x90\x80\x80"_ba });
        switch (m_random.bounded(3)) {
        case 0:
            return httpRequest("POST", m_path + bad + keyQueryPart(m_secret));
        case 1:
            return httpRequest(
                "POST", m_path + keyQueryPart(m_secret), "X-Name: caf" + bad + "\r\n");
        default:
            return httpRequest("POST", m_path + keyQueryPart(m_secret),
                "Content-Type: application/json\r\n", "{\"text\":\"" + bad + "\"}");
        }
    }
    QByteArray chunkedAbuse()
    {
        const QByteArray head = "POST " + m_path + keyQueryPart(m_secret)
            + " HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n";
        const QByteArray chunked = head + "Transfer-Encoding: chunked\r\n\r\n";
        switch (m_random.bounded(14)) {
        case 0:
            return chunked + "zz\r\n{}\r\n0\r\n\r\n";
        case 1:
            return chunked + "-1\r\n{}\r\n0\r\n\r\n";
        case 2:
            return chunked + "ffffffffffffffffffff\r\n{}\r\n0\r\n\r\n";
        case 3:
            return chunked + "7fffffffffffffff\r\n{}";
        case 4:
            return chunked + "2\r\n{}0\r\n\r\n"; // no CRLF after the data
        case 5:
            return chunked + "1\r\n{}\r\n0\r\n\r\n"; // more data than announced
        case 6:
            return chunked + "2;name=value\r\n{}\r\n0\r\n\r\n";
        case 7:
            return chunked + "2\r\n{}\r\n0\r\nX-Trailer: t\r\n\r\n";
        case 8:
            return chunked + "2\r\n{}\r\n0\r\nbad trailer\r\n\r\n";
        case 9:
            return chunked + "2\r\n{}\r\n0\r\n" + QByteArray(70 * 1024, 't') + "\r\n\r\n";
        case 10:
            return head + "Transfer-Encoding: chunked, chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n";
        case 11:
            return head + "Transfer-Encoding: gzip, chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n";
        case 12:
            return head + "Transfer-Encoding: gzip\r\n\r\n{}";
        default:
            return "POST " + m_path + keyQueryPart(m_secret)
                + " HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n";
        }
    }
    QByteArray lineEndings()
    {
        QByteArray bytes = validRequest();
        const qsizetype end = bytes.indexOf("\r\n\r\n");
        QByteArray head = bytes.left(end + 4);
        const QByteArray rest = bytes.mid(end + 4);
        head.replace("\r\n", m_random.bounded(2) ? "\n"_ba : "\r"_ba);
        return head + rest;
    }
    QByteArray obsFold()
    {
        return "POST " + m_path + keyQueryPart(m_secret)
            + " HTTP/1.1\r\nHost: h\r\nX-Folded: first\r\n second\r\n\r\n";
    }
    QByteArray versions()
    {
        const QByteArray line = pick({ "GET /\r\n"_ba, "GET " + m_path + "\r\n\r\n",
            "POST " + m_path + " HTTP/2.0\r\n\r\n", "POST " + m_path + " HTTP/1.2\r\n\r\n",
            "POST " + m_path + " HTTP/9.9\r\n\r\n", "POST " + m_path + " http/1.1\r\n\r\n",
            "POST " + m_path + " HTTP/1.1x\r\n\r\n", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"_ba,
            "POST " + m_path + " HTTP/1.1 extra\r\n\r\n" });
        return line;
    }
    QByteArray oddTargets()
    {
        const QByteArray target = pick({ "*"_ba, "http://h" + m_path + keyQueryPart(m_secret),
            "http://user@h" + m_path, "ftp://h/x"_ba, m_path + "/%00"_ba, m_path + "%ff"_ba,
            m_path + "/../../etc/passwd"_ba, "//" + m_path, m_path + "#frag"_ba,
            m_path + "?api-key"_ba, m_path + "?api-key=&api-key=" + m_secret });
        return httpRequest("POST", target, "Content-Type: application/json\r\n", "{}");
    }
    QByteArray expectContinue()
    {
        const QByteArray expect = pick({ "100-continue"_ba, "200-ok"_ba, "100-CONTINUE"_ba });
        const bool withBody = m_random.bounded(2) == 0;
        return "POST " + m_path + keyQueryPart(m_secret)
            + " HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nExpect: " + expect
            + (withBody ? "\r\nContent-Length: 2\r\n\r\n{}"_ba : "\r\n\r\n"_ba);
    }

    QRandomGenerator m_random;
    QByteArray m_path;
    QByteArray m_secret;
};

// What one garbage-sending thread saw.
struct GarbageOutcome
{
    int cases = 0;
    int aborted = 0;
    int connections = 0;
    QList<HttpAnswer> answers;
    QList<QByteArray> problems; // contract violations, hangs, 2xx without the key
};

// Sets or clears FS_IMMUTABLE_FL: a file root cannot open for writing either (chmod does not
// stop root). Empty on success, else why not.
QString setImmutable(const QString &path, bool immutable)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_NONBLOCK);
    if (fd < 0)
        return QString::fromLocal8Bit(std::strerror(errno));
    const auto closeFd = qScopeGuard([fd] { ::close(fd); });
    int flags = 0;
    if (::ioctl(fd, FS_IOC_GETFLAGS, &flags) != 0)
        return QString::fromLocal8Bit(std::strerror(errno));
    flags = immutable ? (flags | FS_IMMUTABLE_FL) : (flags & ~FS_IMMUTABLE_FL);
    if (::ioctl(fd, FS_IOC_SETFLAGS, &flags) != 0)
        return QString::fromLocal8Bit(std::strerror(errno));
    return {};
}

// Another process holding SQLite's write lock: this executable started with
// --hold-write-lock PATH takes BEGIN EXCLUSIVE, says "locked", and rolls back when its
// standard input says anything or closes.
int holdWriteLock(const char *path)
{
    int argc = 1;
    char name[] = "tst_hardening-lock";
    char *argv[] = { name, nullptr };
    QCoreApplication app(argc, argv);
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"lock"_s);
    db.setDatabaseName(QString::fromLocal8Bit(path));
    if (!db.open()) {
        std::fprintf(stderr, "cannot open %s\n", path);
        return 2;
    }
    QSqlQuery query(db);
    if (!query.exec(u"PRAGMA busy_timeout = 5000"_s) || !query.exec(u"BEGIN EXCLUSIVE"_s)) {
        std::fprintf(stderr, "cannot lock: %s\n", qPrintable(query.lastError().text()));
        return 3;
    }
    std::printf("locked\n");
    std::fflush(stdout);
    char line[64];
    [[maybe_unused]] const char *ignored = std::fgets(line, sizeof line, stdin);
    query.exec(u"ROLLBACK"_s);
    std::printf("released\n");
    std::fflush(stdout);
    return 0;
}

// The helper above, as a child process of the test.
class LockHolder final
{
    Q_DISABLE_COPY_MOVE(LockHolder)
public:
    LockHolder() = default;
    ~LockHolder() { release(); }

    bool lock(const QString &databasePath)
    {
        m_process.start(
            QCoreApplication::applicationFilePath(), { u"--hold-write-lock"_s, databasePath });
        if (!m_process.waitForStarted(10000))
            return false;
        const QDeadlineTimer deadline(15000);
        while (!m_output.contains("locked\n") && !deadline.hasExpired()
            && m_process.state() == QProcess::Running) {
            m_process.waitForReadyRead(100);
            m_output += m_process.readAllStandardOutput();
        }
        return m_output.contains("locked\n");
    }
    bool release()
    {
        if (m_process.state() == QProcess::NotRunning)
            return m_output.contains("released");
        m_process.write("release\n");
        m_process.closeWriteChannel();
        if (!m_process.waitForFinished(10000))
            m_process.kill();
        m_process.waitForFinished(5000);
        m_output += m_process.readAllStandardOutput();
        return m_output.contains("released") && m_process.exitCode() == 0;
    }
    QByteArray errors() { return m_process.readAllStandardError(); }

private:
    QProcess m_process;
    QByteArray m_output;
};

// Qt's messages, all categories and levels, gathered from every thread.
QMutex g_messagesMutex;
QStringList g_messages;
void captureMessage(QtMsgType, const QMessageLogContext &context, const QString &message)
{
    QMutexLocker locker(&g_messagesMutex);
    g_messages.append(
        QString::fromLatin1(context.category ? context.category : "") + u' ' + message);
}

// What a run of requests on keep-alive connections was answered.
struct AnswerTally
{
    QList<qint64> acknowledged; // requestIds of 2xx answers
    QMap<QString, int> byReason;
    QStringList problems;

    void add(const std::optional<HttpAnswer> &answer)
    {
        if (!answer) {
            problems.append(u"no answer"_s);
            return;
        }
        if (const QString violation = contractViolation(*answer); !violation.isEmpty())
            problems.append(violation);
        byReason[answer->reason()] += 1;
        if (answer->status >= 200 && answer->status < 300)
            acknowledged.append(answer->requestId());
    }
    int count(const QString &reason) const { return byReason.value(reason); }
};

// A bare non-blocking socket for senders whose own buffers must not count as the receiver's
// memory (a QTcpSocket copies all that is written into the process): nothing is held here but
// what the caller passes.
class PlainSocket final
{
    Q_DISABLE_COPY_MOVE(PlainSocket)
public:
    PlainSocket() = default;
    ~PlainSocket() { close(); }

    // receiveBuffer > 0: a small kernel receive buffer, for a client that reads nothing.
    bool connectTo(quint16 port, int receiveBuffer = 0)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (m_fd < 0)
            return false;
        if (receiveBuffer > 0)
            ::setsockopt(m_fd, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, sizeof receiveBuffer);
        sockaddr_in address {};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(m_fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) != 0)
            return false;
        ::fcntl(m_fd, F_SETFL, ::fcntl(m_fd, F_GETFL) | O_NONBLOCK);
        return true;
    }

    // Writes what the kernel takes within timeoutMs; the count written, -1 once the connection
    // is broken.
    qint64 send(QByteArrayView bytes, int timeoutMs)
    {
        const QDeadlineTimer deadline(timeoutMs);
        qint64 written = 0;
        while (written < bytes.size()) {
            const ssize_t n = ::send(
                m_fd, bytes.data() + written, size_t(bytes.size() - written), MSG_NOSIGNAL);
            if (n > 0) {
                written += n;
                continue;
            }
            if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                return -1;
            if (deadline.hasExpired())
                break;
            pollfd p { m_fd, POLLOUT, 0 };
            ::poll(&p, 1, int(std::clamp<qint64>(deadline.remainingTime(), 1, 100)));
            if (p.revents & (POLLERR | POLLHUP))
                return -1;
        }
        return written;
    }
    bool sendAll(QByteArrayView bytes, int timeoutMs = 30000)
    {
        return send(bytes, timeoutMs) == bytes.size();
    }

    // Reads what arrives until the peer closes or timeoutMs pass; true when it closed.
    bool readUntilClosed(int timeoutMs)
    {
        const QDeadlineTimer deadline(timeoutMs);
        char chunk[16384];
        for (;;) {
            const ssize_t n = ::recv(m_fd, chunk, sizeof chunk, 0);
            if (n > 0) {
                m_received.append(chunk, n);
                continue;
            }
            if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
                return true;
            if (deadline.hasExpired())
                return false;
            pollfd p { m_fd, POLLIN, 0 };
            ::poll(&p, 1, int(std::clamp<qint64>(deadline.remainingTime(), 1, 100)));
        }
    }
    // The next answer; nullopt when none is whole within timeoutMs or the peer closed first.
    std::optional<HttpAnswer> readAnswer(int timeoutMs)
    {
        const QDeadlineTimer deadline(timeoutMs);
        char chunk[16384];
        for (;;) {
            if (std::optional<HttpAnswer> answer = takeAnswer(m_received))
                return answer;
            const ssize_t n = ::recv(m_fd, chunk, sizeof chunk, 0);
            if (n > 0) {
                m_received.append(chunk, n);
                continue;
            }
            if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                || deadline.hasExpired())
                return std::nullopt;
            pollfd p { m_fd, POLLIN, 0 };
            ::poll(&p, 1, int(std::clamp<qint64>(deadline.remainingTime(), 1, 100)));
        }
    }
    // Without reading anything: has the peer closed or reset the connection?
    bool brokenByPeer()
    {
        pollfd p { m_fd, POLLRDHUP, 0 };
        ::poll(&p, 1, 0);
        return p.revents & (POLLRDHUP | POLLERR | POLLHUP);
    }

    QByteArray &received() { return m_received; }
    void close()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
    }

private:
    int m_fd = -1;
    QByteArray m_received;
};

// The database file and its write-ahead log, in bytes.
qint64 databaseBytes(const QString &path)
{
    return QFileInfo(path).size() + QFileInfo(path + u"-wal"_s).size();
}

// The requestIds of acknowledged answers that have no row with status 200, listed.
QString missingFromLog(const QList<qint64> &acknowledged, const QHash<qint64, LoggedRequest> &rows)
{
    QStringList missing;
    for (const qint64 id : acknowledged) {
        const auto row = rows.constFind(id);
        if (row == rows.cend() || row->status != 200)
            missing.append(QString::number(id));
    }
    return missing.join(u',');
}

} // namespace

class tst_Hardening : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void garbageSender();
    void slowAndIdleClients();
    void connectionCapUnderFlood();
    void diskFull_data();
    void diskFull();
    void readOnlyStorage();
    void keepFreeFloor();
    void keepFreeFloorFromSettings();
    void lockedByAnotherProcess();
    void keyTimingDoesNotLeak();
    void constantTimeEqualsTiming();
    void secretsNeverLeak();
    void overloadAnswersFast();
    void slowBodiesAtTheCap();
    void clientThatNeverReads();
    void refusedBodiesAreNotBuffered();
    void refusedBodiesKeepOnlyAPrefix();
    void writerCountsWholeEntries();

private:
    bool openSite(const QString &databasePath, const ReceiverOptions &options);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Site> m_site;
};

void tst_Hardening::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qInfo("descriptor limit: %llu", static_cast<unsigned long long>(raiseOpenFileLimit()));
}

void tst_Hardening::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void tst_Hardening::cleanup()
{
    m_site.reset();
    m_dir.reset();
}

bool tst_Hardening::openSite(const QString &databasePath, const ReceiverOptions &options)
{
    m_site = std::make_unique<Site>();
    if (m_site->open(databasePath, options))
        return true;
    qWarning("%s", qPrintable(m_site->error()));
    return false;
}

// Thousands of malformed and mutated requests over many connections, some cut off midway:
// every answer is one the contract allows, no 2xx without the key, every answered request is in
// the log, and afterwards the receiver still takes a valid request.
void tst_Hardening::garbageSender()
{
    ReceiverOptions options = baseOptions();
    options.headerTimeoutMs = 300; // requests cut short are answered 408 soon
    options.idleTimeoutMs = 300;
    options.maxBodyBytes = 64 * 1024;
    QVERIFY(openSite(m_dir->filePath(u"hooktrail.db"_s), options));
    Site &site = *m_site;

    constexpr int threads = 32;
    constexpr int casesPerThread = 125;
    qInfo("garbage sender: seed 0x%x, %d threads x %d requests", kGarbageSeed, threads,
        casesPerThread);
    std::vector<GarbageOutcome> outcomes(threads);
    const quint16 port = site.port();
    const QByteArray webhookPath = site.target();
    const QByteArray secret = site.secret();
    QElapsedTimer clock;
    clock.start();
    std::vector<std::unique_ptr<QThread>> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back(QThread::create([&, t] {
            GarbageOutcome &outcome = outcomes[size_t(t)];
            GarbageGenerator generator(kGarbageSeed + quint32(t), webhookPath, secret);
            for (int i = 0; i < casesPerThread; ++i) {
                const GarbageCase garbage = generator.next();
                ++outcome.cases;
                ++outcome.connections;
                RawHttpClient client(port);
                if (!client.connectToServer()) {
                    outcome.problems.append("cannot connect");
                    continue;
                }
                const int mode = generator.bounded(100);
                if (mode < 8) { // closed mid-request
                    client.send(
                        garbage.bytes.left(generator.bounded(int(garbage.bytes.size()) + 1)));
                    client.socket().abort();
                    ++outcome.aborted;
                    continue;
                }
                client.send(garbage.bytes, 10000);
                if (mode < 15) { // closed right after sending
                    client.socket().abort();
                    ++outcome.aborted;
                    continue;
                }
                // Read until the server closes; after a keep-alive answer, stop when nothing
                // more comes. The server's timeouts bound every wait.
                const QDeadlineTimer deadline(5000);
                for (;;) {
                    std::optional<HttpAnswer> answer
                        = client.readAnswer(int(std::max<qint64>(1, deadline.remainingTime())));
                    if (answer) {
                        const QString violation = contractViolation(*answer);
                        if (!violation.isEmpty())
                            outcome.problems.append(garbage.kind + ": "_ba + violation.toUtf8());
                        if (answer->status >= 200 && answer->status < 300
                            && !garbage.bytes.contains(secret))
                            outcome.problems.append(garbage.kind + ": 2xx without the key: "_ba
                                + garbage.bytes.left(300));
                        const bool close = answer->header("connection") == "close";
                        const bool interim = answer->status == 100;
                        outcome.answers.append(std::move(*answer));
                        if (interim)
                            continue;
                        if (close) {
                            if (!client.waitForClosed(4000))
                                outcome.problems.append(
                                    garbage.kind + ": not closed after Connection: close"_ba);
                            break;
                        }
                        if (client.buffer().isEmpty() && !client.pump(150))
                            break;
                        continue;
                    }
                    if (client.isClosed()) {
                        if (!client.buffer().isEmpty())
                            outcome.problems.append(garbage.kind
                                + ": closed after a partial answer: "_ba
                                + client.buffer().left(200));
                        break;
                    }
                    if (deadline.hasExpired()) {
                        outcome.problems.append(garbage.kind
                            + ": neither answered nor closed within 5 s: "_ba
                            + garbage.bytes.left(200));
                        break;
                    }
                }
            }
        }));
    }
    for (auto &worker : workers)
        worker->start();
    for (auto &worker : workers)
        QVERIFY(worker->wait(QDeadlineTimer(50000)));
    const qint64 sendingMs = clock.elapsed();

    // Alive, and still right: a valid request is accepted and logged.
    RawHttpClient after(port);
    QVERIFY(after.connectToServer());
    QVERIFY(after.send(site.acceptedRequest()));
    const std::optional<HttpAnswer> afterAnswer = after.readAnswer();
    QVERIFY(afterAnswer.has_value());
    QCOMPARE(afterAnswer->status, 200);
    QCOMPARE(contractViolation(*afterAnswer), QString());

    const QHash<qint64, LoggedRequest> rows = site.rows();
    QVERIFY(rows.contains(afterAnswer->requestId()));
    int cases = 0;
    int aborted = 0;
    QMap<int, int> byStatus;
    QSet<qint64> answeredIds;
    QStringList problems;
    int answersWithoutId = 0;
    for (const GarbageOutcome &outcome : outcomes) {
        cases += outcome.cases;
        aborted += outcome.aborted;
        for (const QByteArray &problem : outcome.problems)
            problems.append(QString::fromUtf8(problem));
        for (const HttpAnswer &answer : outcome.answers) {
            byStatus[answer.status] += 1;
            if (answer.status == 100)
                continue;
            const qint64 id = answer.requestId();
            if (id <= 0) {
                // Only a refusal for lack of room may go unlogged; this test never fills up.
                ++answersWithoutId;
                problems.append(u"answer without requestId: "_s + QString::fromUtf8(answer.body));
                continue;
            }
            if (answeredIds.contains(id))
                problems.append(u"requestId %1 answered twice"_s.arg(id));
            answeredIds.insert(id);
            const auto row = rows.constFind(id);
            if (row == rows.cend())
                problems.append(u"requestId %1 answered but not in the log"_s.arg(id));
            else if (row->status != answer.status || row->reason != answer.reason().toLatin1())
                problems.append(u"requestId %1: answered %2 %3, logged %4 %5"_s.arg(id)
                                    .arg(answer.status)
                                    .arg(answer.reason())
                                    .arg(row->status)
                                    .arg(QString::fromLatin1(row->reason)));
        }
    }
    QStringList statusFigures;
    for (auto it = byStatus.cbegin(); it != byStatus.cend(); ++it)
        statusFigures.append(u"%1: %2"_s.arg(it.key()).arg(it.value()));
    qInfo("garbage sender: %d requests in %lld ms, %d cut off by the client; answers by status "
          "{%s}; %lld answered with a requestId, %lld rows logged",
        cases, sendingMs, aborted, qPrintable(statusFigures.join(u", "_s)),
        qlonglong(answeredIds.size()), qlonglong(rows.size()));
    QVERIFY2(problems.isEmpty(),
        qPrintable(u"%1 problems, first ones:\n"_s.arg(problems.size())
            + problems.mid(0, 10).join(u'\n')));
    QCOMPARE(answersWithoutId, 0);
    QCOMPARE(cases, threads * casesPerThread);
    // Rows also exist for requests whose answers the client never read: at least as many.
    QVERIFY(rows.size() >= answeredIds.size() + 1);
    QVERIFY(byStatus.value(400) > cases / 10); // the generator does produce garbage
    QVERIFY(byStatus.value(200) > 0); // and some valid requests among it
}

// Hundreds of connections trickling headers a byte at a time and hundreds sending nothing do
// not slow an ordinary sender, and each is closed once its configured timeout has passed.
void tst_Hardening::slowAndIdleClients()
{
    constexpr int slowCount = 300;
    constexpr int idleCount = 300;
    constexpr int timeoutMs = 2500;
    constexpr int trickleMs = 200;
    // The sweep runs every timeout/5; the slack covers it, a loaded machine and the close.
    constexpr int slackMs = 1500;
    ReceiverOptions options = baseOptions();
    options.headerTimeoutMs = timeoutMs;
    options.idleTimeoutMs = timeoutMs;
    QVERIFY(openSite(m_dir->filePath(u"hooktrail.db"_s), options));
    Site &site = *m_site;
    const quint16 port = site.port();
    const QByteArray request = site.acceptedRequest();

    struct Held
    {
        bool slow = false;
        qint64 startedAt = -1; // before connecting: the server cannot have taken it earlier
        qint64 connectedAt = -1;
        qint64 firstByteAt = -1;
        std::atomic<qint64> endedAt { -1 }; // first answer byte or close, whichever came first
        int sent = 0;
        QByteArray received;
        std::atomic<bool> closed { false };
    };
    std::vector<Held> held(slowCount + idleCount);
    std::atomic<int> connected { 0 };
    std::atomic<bool> done { false };
    QElapsedTimer clock;
    clock.start();

    // The held connections live on a thread of their own, driven by its event loop.
    std::unique_ptr<QThread> driver(QThread::create([&] {
        std::vector<std::unique_ptr<QTcpSocket>> sockets;
        QEventLoop loop;
        for (size_t i = 0; i < held.size(); ++i) {
            Held &h = held[i];
            h.slow = i < size_t(slowCount);
            auto socket = std::make_unique<QTcpSocket>();
            QTcpSocket *s = socket.get();
            QObject::connect(s, &QTcpSocket::connected, [&, s, &h = h] {
                h.connectedAt = clock.elapsed();
                ++connected;
                if (h.slow) {
                    s->write(request.left(1));
                    h.firstByteAt = h.connectedAt;
                    h.sent = 1;
                }
            });
            QObject::connect(s, &QTcpSocket::readyRead, [&, s, &h = h] {
                if (h.endedAt < 0)
                    h.endedAt = clock.elapsed();
                h.received += s->readAll();
            });
            QObject::connect(s, &QTcpSocket::disconnected, [&, s, &h = h] {
                if (h.endedAt < 0)
                    h.endedAt = clock.elapsed();
                h.received += s->readAll();
                h.closed = true;
            });
            h.startedAt = clock.elapsed();
            s->connectToHost(QHostAddress::LocalHost, port);
            sockets.push_back(std::move(socket));
        }
        QTimer trickle;
        QObject::connect(&trickle, &QTimer::timeout, [&] {
            for (size_t i = 0; i < held.size(); ++i) {
                Held &h = held[i];
                QTcpSocket *s = sockets[i].get();
                if (h.slow && !h.closed && h.sent > 0 && h.sent < request.size()
                    && s->state() == QAbstractSocket::ConnectedState)
                    s->write(request.mid(h.sent++, 1));
            }
            const bool allClosed = std::all_of(
                held.begin(), held.end(), [](const Held &h) { return h.closed.load(); });
            if (allClosed || done.load())
                loop.quit();
        });
        trickle.start(trickleMs);
        QTimer::singleShot(timeoutMs + slackMs + 5000, &loop, &QEventLoop::quit);
        loop.exec();
        for (auto &socket : sockets)
            socket->abort();
    }));
    driver->start();
    const auto stopDriver = qScopeGuard([&] {
        done = true;
        driver->wait();
    });
    QTRY_VERIFY_WITH_TIMEOUT(connected.load() == slowCount + idleCount, 20000);
    const qint64 allConnectedAt = clock.elapsed();

    // The ordinary sender, while every held connection is still open.
    RawHttpClient sender(port);
    QVERIFY(sender.connectToServer());
    QList<double> latenciesMs;
    while (clock.elapsed() < allConnectedAt + timeoutMs / 2 || latenciesMs.size() < 50) {
        QElapsedTimer one;
        one.start();
        QVERIFY(sender.send(request));
        const std::optional<HttpAnswer> answer = sender.readAnswer(10000);
        latenciesMs.append(double(one.nsecsElapsed()) / 1e6);
        QVERIFY(answer.has_value());
        QCOMPARE(answer->status, 200);
        if (latenciesMs.size() >= 2000)
            break;
    }
    const int stillOpenAfterSending
        = int(std::count_if(held.begin(), held.end(), [](const Held &h) { return h.endedAt < 0; }));
    sender.socket().abort(); // not an idle connection to wait for

    QVERIFY(driver->wait(QDeadlineTimer(timeoutMs + slackMs + 10000)));
    QStringList problems;
    QList<double> slowEnded;
    QList<double> idleEnded;
    for (const Held &h : held) {
        if (!h.closed) {
            problems.append(u"%1 connection still open"_s.arg(h.slow ? u"slow"_s : u"idle"_s));
            continue;
        }
        // An idle connection's clock starts when the server takes it, somewhere between the
        // two client-side marks; a slow one's with its first byte, sent once connected.
        const qint64 earliest = h.slow ? h.firstByteAt : h.startedAt;
        const qint64 latest = h.slow ? h.firstByteAt : h.connectedAt;
        const qint64 after = h.endedAt - latest;
        (h.slow ? slowEnded : idleEnded).append(double(after));
        if (h.endedAt - earliest < timeoutMs - 100 || after > timeoutMs + slackMs)
            problems.append(u"%1 connection ended after %2 ms"_s.arg(h.slow ? u"slow"_s : u"idle"_s)
                                .arg(after));
        QByteArray received = h.received;
        if (h.slow) {
            const std::optional<HttpAnswer> answer = takeAnswer(received);
            if (!answer || answer->status != 408 || answer->reason() != u"request_timeout")
                problems.append(u"slow connection not answered 408: "_s
                    + QString::fromLatin1(h.received.left(100)));
        } else if (!received.isEmpty()) {
            problems.append(
                u"idle connection was sent: "_s + QString::fromLatin1(received.left(100)));
        }
    }
    const double p50 = percentile(latenciesMs, 50);
    const double p99 = percentile(latenciesMs, 99);
    qInfo("slow/idle clients: %d slow + %d idle held, %d still open when the sender finished; "
          "ordinary sender: %lld requests, p50 %.2f ms, p99 %.2f ms, max %.2f ms; closed after "
          "(timeout %d ms): slow median %.0f ms max %.0f ms, idle median %.0f ms max %.0f ms",
        slowCount, idleCount, stillOpenAfterSending, qlonglong(latenciesMs.size()), p50, p99,
        percentile(latenciesMs, 100), timeoutMs, percentile(slowEnded, 50),
        percentile(slowEnded, 100), percentile(idleEnded, 50), percentile(idleEnded, 100));
    QVERIFY2(problems.isEmpty(),
        qPrintable(u"%1 problems, first ones:\n"_s.arg(problems.size())
            + problems.mid(0, 10).join(u'\n')));
    // The sender ran while the held connections were all there.
    QVERIFY2(stillOpenAfterSending == slowCount + idleCount,
        "the ordinary sender did not finish before the timeouts; the figures do not show "
        "contention");
    QVERIFY2(p99 < 50, qPrintable(u"p99 %1 ms"_s.arg(p99)));
}

// Far past the connection cap, with every slot held by an upload arriving at a good rate (so
// none can be given up), every extra connection is told 503 overloaded with Retry-After and let
// go, so descriptors do not pile up; once the held ones close, newcomers are served.
// (tst_receiver's overloadedConnections checks the answer itself at a cap of 2, and that idle
// connections give up their slots.)
void tst_Hardening::connectionCapUnderFlood()
{
    constexpr int cap = 50;
    constexpr int flood = 400;
    ReceiverOptions options = baseOptions();
    options.maxConnections = cap;
    QVERIFY(openSite(m_dir->filePath(u"hooktrail.db"_s), options));
    Site &site = *m_site;
    const auto openDescriptors
        = [] { return QDir(u"/proc/self/fd"_s).entryList(QDir::Files | QDir::System).size(); };

    // Each held connection sends its headers and the first 32 KiB of a 1 MiB body in one write.
    // The 100 Continue comes back once the receiver has read all of that: from then on the
    // upload's rate (32 KiB over the seconds this test takes) is far above the minimum.
    const QByteArray upload = "POST " + site.target(site.keyQuery())
        + " HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
          "Content-Length: 1048576\r\n\r\n"
        + QByteArray(32 * 1024, ' ');
    std::vector<std::unique_ptr<RawHttpClient>> held;
    for (int i = 0; i < cap; ++i) {
        held.push_back(std::make_unique<RawHttpClient>(site.port()));
        QVERIFY(held.back()->connectToServer());
        QVERIFY(held.back()->send(upload));
        const std::optional<HttpAnswer> answer = held.back()->readAnswer();
        QVERIFY(answer.has_value());
        QCOMPARE(answer->status, 100);
    }
    const qsizetype descriptorsBefore = openDescriptors();

    struct Flooder
    {
        QTcpSocket socket;
        QByteArray received;
    };
    std::vector<std::unique_ptr<Flooder>> flooders;
    const QByteArray request = site.acceptedRequest();
    for (int i = 0; i < flood; ++i) {
        auto flooder = std::make_unique<Flooder>();
        Flooder *f = flooder.get();
        QObject::connect(
            &f->socket, &QTcpSocket::connected, [f, &request] { f->socket.write(request); });
        QObject::connect(
            &f->socket, &QTcpSocket::readyRead, [f] { f->received += f->socket.readAll(); });
        f->socket.connectToHost(QHostAddress::LocalHost, site.port());
        flooders.push_back(std::move(flooder));
    }
    const auto allClosed = [&] {
        return std::all_of(flooders.begin(), flooders.end(),
            [](const auto &f) { return f->socket.state() == QAbstractSocket::UnconnectedState; });
    };
    QElapsedTimer clock;
    clock.start();
    QTRY_VERIFY_WITH_TIMEOUT(allClosed(), 30000);
    const qint64 floodMs = clock.elapsed();
    int refused = 0;
    QStringList problems;
    for (const auto &f : flooders) {
        f->received += f->socket.readAll();
        QByteArray buffer = f->received;
        const std::optional<HttpAnswer> answer = takeAnswer(buffer);
        if (!answer) {
            problems.append(u"no answer: "_s + QString::fromLatin1(f->received.left(100)));
            continue;
        }
        if (const QString violation = contractViolation(*answer); !violation.isEmpty())
            problems.append(violation);
        if (answer->status != 503 || answer->reason() != u"overloaded"
            || answer->header("retry-after") != QByteArray::number(kRetryAfter)
            || answer->header("connection") != "close" || answer->requestId() != 0)
            problems.append(
                u"not a 503 overloaded: "_s + QString::fromLatin1(f->received.left(200)));
        else
            ++refused;
        if (!buffer.isEmpty())
            problems.append(u"more after the refusal: "_s + QString::fromLatin1(buffer.left(100)));
    }
    flooders.clear();
    QTRY_COMPARE_WITH_TIMEOUT(
        site.engine()->receiver()->stats().connections.loadRelaxed(), cap, 10000);
    const qsizetype descriptorsAfter = openDescriptors();
    qInfo("connection cap %d: %d more connections answered 503 overloaded in %lld ms; "
          "descriptors of the process %lld with the held ones, %lld after the flood",
        cap, refused, floodMs, qlonglong(descriptorsBefore), qlonglong(descriptorsAfter));
    QVERIFY2(problems.isEmpty(),
        qPrintable(u"%1 problems, first ones:\n"_s.arg(problems.size())
            + problems.mid(0, 10).join(u'\n')));
    QCOMPARE(refused, flood);
    QVERIFY2(descriptorsAfter <= descriptorsBefore + 5,
        "the refused connections left descriptors behind");
    QCOMPARE(site.engine()->receiver()->stats().shed.loadRelaxed(), 0); // no upload was cut
    for (const auto &h : held)
        QVERIFY2(!h->isClosed() && h->buffer().isEmpty(), h->buffer().constData());
    QCOMPARE(site.rows().size(), 0); // a refusal for lack of room is not a request

    // Room again: the cap's worth of newcomers are all served.
    held.clear();
    QTRY_COMPARE_WITH_TIMEOUT(
        site.engine()->receiver()->stats().connections.loadRelaxed(), 0, 10000);
    for (int i = 0; i < cap; ++i) {
        held.push_back(std::make_unique<RawHttpClient>(site.port()));
        QVERIFY(held.back()->connectToServer());
        QVERIFY(held.back()->send(site.acceptedRequest()));
        const std::optional<HttpAnswer> answer = held.back()->readAnswer();
        QVERIFY(answer.has_value());
        QCOMPARE(answer->status, 200);
    }
}

// The disk fills under load: nothing is acknowledged that was not committed, the receiver keeps
// answering 503 storage_unavailable, and once there is room it recovers by itself.
void tst_Hardening::diskFull_data()
{
    QTest::addColumn<bool>("tmpfs"); // else a file size limit on a `hooktrail serve` child
    QTest::addRow("tmpfs full") << true;
    QTest::addRow("file size limit") << false;
}

void tst_Hardening::diskFull()
{
    QFETCH(bool, tmpfs);
    constexpr qint64 diskBytes = 4 * 1024 * 1024;
    constexpr qint64 headroom = 384 * 1024;
    const QByteArray body = R"({"pad":")" + QByteArray(16 * 1024, 'p') + R"("})";

    std::unique_ptr<TmpfsMount> mount;
    ServeProcess serve;
    QByteArray acceptedRequest;
    QString databasePath;
    quint16 port = 0;
    std::function<void()> makeRoom;
    if (tmpfs) {
        mount = std::make_unique<TmpfsMount>(diskBytes);
        if (!mount->isMounted())
            QSKIP(qPrintable(mount->error()));
        databasePath = mount->filePath(u"hooktrail.db"_s);
        QVERIFY(openSite(databasePath, baseOptions()));
        port = m_site->port();
        acceptedRequest = m_site->acceptedRequest(body);
        // Leave a little room: a few dozen requests fill it.
        const qint64 free = QStorageInfo(mount->path()).bytesAvailable();
        QFile filler(mount->filePath(u"filler"_s));
        QVERIFY(filler.open(QIODevice::WriteOnly));
        QVERIFY(filler.resize(0));
        const QByteArray block(64 * 1024, 'f');
        for (qint64 written = 0; written < free - headroom; written += block.size())
            QVERIFY(filler.write(block) == block.size());
        QVERIFY(filler.flush());
        filler.close();
        makeRoom = [&] { QVERIFY(QFile::remove(mount->filePath(u"filler"_s))); };
    } else {
        QVERIFY2(QFileInfo(hooktrailBinary()).isExecutable(),
            "set HOOKTRAIL_BINARY to the hooktrail executable (CTest does)");
        const QString dataDir = m_dir->filePath(u"data"_s);
        const CliProvision provision = provisionViaCli(dataDir, u"fsize"_s);
        QVERIFY2(provision.error.isEmpty(), qPrintable(provision.error));
        databasePath = QDir(dataDir).filePath(u"hooktrail.db"_s);
        const rlim_t limit = rlim_t(QFileInfo(databasePath).size() + headroom);
        // Set in the child between fork and exec: serve itself must cope with EFBIG (and not
        // die of SIGXFSZ, which it has to ignore on its own).
        serve.process().setChildProcessModifier([limit] {
            rlimit fsize {};
            ::getrlimit(RLIMIT_FSIZE, &fsize);
            fsize.rlim_cur = limit; // the soft limit only, so the test may lift it again
            ::setrlimit(RLIMIT_FSIZE, &fsize);
        });
        QVERIFY2(serve.start(dataDir), qPrintable(serve.error()));
        port = serve.port();
        acceptedRequest = httpRequest("POST",
            "/v1/data/webhook/" + provision.webhookId.toLatin1()
                + "?api-key=" + provision.key.toLatin1(),
            "Content-Type: application/json\r\n", body);
        const qint64 pid = serve.process().processId();
        makeRoom = [pid] {
            rlimit fsize {};
            QVERIFY2(
                ::prlimit(pid_t(pid), RLIMIT_FSIZE, nullptr, &fsize) == 0, std::strerror(errno));
            fsize.rlim_cur = fsize.rlim_max;
            QVERIFY2(
                ::prlimit(pid_t(pid), RLIMIT_FSIZE, &fsize, nullptr) == 0, std::strerror(errno));
        };
    }

    RawHttpClient client(port);
    QVERIFY(client.connectToServer());
    AnswerTally tally;
    int sentUntilFull = 0;
    while (tally.count(u"storage_unavailable"_s) == 0 && sentUntilFull < 600) {
        QVERIFY(client.send(acceptedRequest));
        const std::optional<HttpAnswer> answer = client.readAnswer(20000);
        tally.add(answer);
        QVERIFY2(answer.has_value(),
            tmpfs || serve.process().state() == QProcess::Running
                ? "no answer while filling the disk"
                : "hooktrail serve died while filling the disk");
        QVERIFY2(answer->status == 200 || answer->reason() == u"storage_unavailable",
            answer->body.constData());
        ++sentUntilFull;
    }
    QVERIFY2(tally.count(u"storage_unavailable"_s) > 0, "the disk never filled up");
    // While full: still answering, on the same connection, and never a 2xx that is not logged.
    for (int i = 0; i < 20; ++i) {
        QVERIFY(client.send(acceptedRequest));
        tally.add(client.readAnswer(20000));
    }
    const int failedWhileFull = tally.count(u"storage_unavailable"_s);
    if (!tmpfs)
        QCOMPARE(serve.process().state(), QProcess::Running);

    makeRoom();
    if (QTest::currentTestFailed())
        return;
    const int acceptedBefore = tally.count(u"accepted"_s);
    int untilRecovered = 0;
    for (; untilRecovered < 20; ++untilRecovered) {
        QVERIFY(client.send(acceptedRequest));
        const std::optional<HttpAnswer> answer = client.readAnswer(20000);
        tally.add(answer);
        if (answer && answer->status == 200)
            break;
    }
    QVERIFY2(
        untilRecovered < 5, qPrintable(u"%1 failures after room was made"_s.arg(untilRecovered)));
    for (int i = 0; i < 10; ++i) {
        QVERIFY(client.send(acceptedRequest));
        const std::optional<HttpAnswer> answer = client.readAnswer(20000);
        tally.add(answer);
        QVERIFY(answer.has_value());
        QCOMPARE(answer->status, 200);
    }
    QVERIFY2(tally.problems.isEmpty(), qPrintable(tally.problems.join(u'\n')));

    QHash<qint64, LoggedRequest> rows;
    if (tmpfs) {
        rows = m_site->rows();
    } else {
        QCOMPARE(serve.stop(), 0);
        auto store = Store::openSqlite(databasePath);
        QVERIFY2(store, qPrintable(store.error()));
        const auto read = loggedRequests(**store);
        QVERIFY2(read, qPrintable(read.error()));
        rows = *read;
    }
    const QString missing = missingFromLog(tally.acknowledged, rows);
    qInfo("disk full (%s): %d requests until the first 503, %d answered 503 storage_unavailable, "
          "%d acknowledged before the room was made, %d after; %lld acknowledged in all, %lld rows "
          "logged, acknowledged but missing: [%s]",
        tmpfs ? "tmpfs" : "file size limit", sentUntilFull, failedWhileFull, acceptedBefore,
        tally.count(u"accepted"_s) - acceptedBefore, qlonglong(tally.acknowledged.size()),
        qlonglong(rows.size()), qPrintable(missing));
    QVERIFY2(missing.isEmpty(), qPrintable(u"acknowledged but not logged: "_s + missing));
    QCOMPARE(rows.size(), tally.acknowledged.size()); // a failed row is not half there either
}

// The database turns read-only for the log writer: 503 storage_unavailable, nothing
// acknowledged, and writable again it recovers by itself. Linux refuses to remount a
// filesystem read-only while a process has files open on it for writing (EBUSY), and the
// writer keeps its connection until a write fails; so the file is made immutable
// (FS_IMMUTABLE_FL, which stops root too) before the writer opens its connection.
void tst_Hardening::readOnlyStorage()
{
    TmpfsMount mount(8 * 1024 * 1024);
    if (!mount.isMounted())
        QSKIP(qPrintable(mount.error()));
    const QString databasePath = mount.filePath(u"hooktrail.db"_s);
    QVERIFY(openSite(databasePath, baseOptions()));
    Site &site = *m_site;
    if (const QString error = setImmutable(databasePath, true); !error.isEmpty())
        QSKIP(qPrintable(u"cannot make the database immutable: "_s + error));
    const auto writable = qScopeGuard([&] { setImmutable(databasePath, false); });

    RawHttpClient client(site.port());
    QVERIFY(client.connectToServer());
    AnswerTally tally;
    for (int i = 0; i < 5; ++i) {
        QVERIFY(client.send(site.acceptedRequest()));
        const std::optional<HttpAnswer> answer = client.readAnswer(20000);
        tally.add(answer);
        QVERIFY(answer.has_value());
        QCOMPARE(answer->status, 503);
        QCOMPARE(answer->reason(), u"storage_unavailable"_s);
        QCOMPARE(answer->header("connection"), "keep-alive"_ba);
    }
    QCOMPARE(setImmutable(databasePath, false), QString());
    for (int i = 0; i < 5; ++i) {
        QVERIFY(client.send(site.acceptedRequest()));
        const std::optional<HttpAnswer> answer = client.readAnswer(20000);
        tally.add(answer);
        QVERIFY(answer.has_value());
        QCOMPARE(answer->status, 200);
    }
    QVERIFY2(tally.problems.isEmpty(), qPrintable(tally.problems.join(u'\n')));
    const QHash<qint64, LoggedRequest> rows = site.rows();
    QCOMPARE(missingFromLog(tally.acknowledged, rows), QString());
    QCOMPARE(rows.size(), 5);
    qInfo("read-only: 5 requests answered 503 storage_unavailable, then 5 acknowledged and logged");
}

// Anyone who reaches the endpoint can fill the disk. Below the free space kept, requests are
// refused with 503 storage_unavailable while there is still room (nothing acknowledged, nothing
// half written); once the floor is lowered (or room is made) the next request is taken.
void tst_Hardening::keepFreeFloor()
{
    constexpr qint64 GiB = 1024LL * 1024 * 1024;
    QVERIFY(openSite(m_dir->filePath(u"hooktrail.db"_s), baseOptions()));
    Site &site = *m_site;
    RawHttpClient client(site.port());
    QVERIFY(client.connectToServer());
    AnswerTally tally;
    QVERIFY(client.send(site.acceptedRequest()));
    tally.add(client.readAnswer(20000));
    QCOMPARE(tally.count(u"accepted"_s), 1);

    const qint64 free = DiskSpace::available(m_dir->path());
    QVERIFY(free > 0);
    site.engine()->setKeepFree(free + GiB); // more than there is
    for (int i = 0; i < 5; ++i) {
        QVERIFY(client.send(site.acceptedRequest()));
        const std::optional<HttpAnswer> answer = client.readAnswer(20000);
        tally.add(answer);
        QVERIFY(answer.has_value());
        QCOMPARE(answer->status, 503);
        QCOMPARE(answer->reason(), u"storage_unavailable"_s);
        QCOMPARE(answer->header("retry-after"), QByteArray::number(kRetryAfter));
        QCOMPARE(answer->header("connection"), "keep-alive"_ba);
    }
    const LogWriter::Refusal refusal = site.engine()->writer()->refusal();
    QCOMPARE(int(refusal.reason), int(LogWriter::Refusal::Reason::KeepFree));
    QCOMPARE(refusal.keepFreeBytes, free + GiB);
    QVERIFY(refusal.freeBytes > 0 && refusal.freeBytes < refusal.keepFreeBytes);

    site.engine()->setKeepFree(std::min<qint64>(free / 2, 64LL * 1024 * 1024));
    QVERIFY(client.send(site.acceptedRequest()));
    const std::optional<HttpAnswer> next = client.readAnswer(20000);
    tally.add(next);
    QVERIFY(next.has_value());
    QCOMPARE(next->status, 200);
    QCOMPARE(int(site.engine()->writer()->refusal().reason), int(LogWriter::Refusal::Reason::None));
    QVERIFY2(tally.problems.isEmpty(), qPrintable(tally.problems.join(u'\n')));
    const QHash<qint64, LoggedRequest> rows = site.rows();
    QCOMPARE(missingFromLog(tally.acknowledged, rows), QString());
    QCOMPARE(rows.size(), 2); // the refused requests are nowhere, not even as rejected rows
    qInfo("keep free: %.1f GiB free, floor %.1f GiB: 5 requests answered 503 storage_unavailable "
          "and not logged; floor lowered, the next one accepted",
        double(free) / GiB, double(free + GiB) / GiB);
}

// `hooktrail serve` takes the floor from the settings file (default 512 MiB).
void tst_Hardening::keepFreeFloorFromSettings()
{
    QVERIFY2(QFileInfo(hooktrailBinary()).isExecutable(),
        "set HOOKTRAIL_BINARY to the hooktrail executable (CTest does)");
    const QString dataDir = m_dir->filePath(u"data"_s);
    const CliProvision provision = provisionViaCli(dataDir, u"floor"_s);
    QVERIFY2(provision.error.isEmpty(), qPrintable(provision.error));
    const qint64 free = DiskSpace::available(dataDir);
    QVERIFY(free > 0);
    {
        QSettings ini(QDir(dataDir).filePath(u"hooktrail.ini"_s), QSettings::IniFormat);
        ini.setValue(u"storage/keepFreeBytes"_s, free + 1024LL * 1024 * 1024);
    }
    ServeProcess serve;
    QVERIFY2(serve.start(dataDir), qPrintable(serve.error()));
    RawHttpClient client(serve.port());
    QVERIFY(client.connectToServer());
    QVERIFY(client.send(httpRequest("POST",
        "/v1/data/webhook/" + provision.webhookId.toLatin1()
            + "?api-key=" + provision.key.toLatin1(),
        "Content-Type: application/json\r\n", R"({"event":"floor"})")));
    const std::optional<HttpAnswer> answer = client.readAnswer(20000);
    QVERIFY(answer.has_value());
    QCOMPARE(contractViolation(*answer), QString());
    QCOMPARE(answer->status, 503);
    QCOMPARE(answer->reason(), u"storage_unavailable"_s);
    QCOMPARE(serve.stop(), 0);
    auto store = Store::openSqlite(QDir(dataDir).filePath(u"hooktrail.db"_s));
    QVERIFY2(store, qPrintable(store.error()));
    const Result<qint64> count = (*store)->queries().countRequests();
    QVERIFY2(count, qPrintable(count.error()));
    QCOMPARE(*count, 0);
}

// Another process holds the database's write lock (BEGIN EXCLUSIVE): once SQLite's busy
// timeout runs out the request is answered 503 storage_unavailable, and after the lock is
// released the receiver takes requests again without a restart.
void tst_Hardening::lockedByAnotherProcess()
{
    const QString databasePath = m_dir->filePath(u"hooktrail.db"_s);
    QVERIFY(openSite(databasePath, baseOptions()));
    Site &site = *m_site;
    RawHttpClient client(site.port());
    QVERIFY(client.connectToServer());
    AnswerTally tally;
    QVERIFY(client.send(site.acceptedRequest()));
    tally.add(client.readAnswer());
    QCOMPARE(tally.count(u"accepted"_s), 1);

    LockHolder holder;
    QVERIFY2(holder.lock(databasePath), holder.errors().constData());
    QElapsedTimer clock;
    clock.start();
    QVERIFY(client.send(site.acceptedRequest()));
    const std::optional<HttpAnswer> locked = client.readAnswer(30000);
    const qint64 lockedMs = clock.elapsed();
    tally.add(locked);
    QVERIFY(locked.has_value());
    QCOMPARE(locked->status, 503);
    QCOMPARE(locked->reason(), u"storage_unavailable"_s);
    QCOMPARE(locked->header("retry-after"), QByteArray::number(kRetryAfter));
    QVERIFY(holder.release());

    QVERIFY(client.send(site.acceptedRequest()));
    tally.add(client.readAnswer());
    RawHttpClient fresh(site.port());
    QVERIFY(fresh.connectToServer());
    QVERIFY(fresh.send(site.acceptedRequest()));
    tally.add(fresh.readAnswer());
    QVERIFY2(tally.problems.isEmpty(), qPrintable(tally.problems.join(u'\n')));
    QCOMPARE(tally.count(u"accepted"_s), 3);
    const QHash<qint64, LoggedRequest> rows = site.rows();
    QCOMPARE(missingFromLog(tally.acknowledged, rows), QString());
    QCOMPARE(rows.size(), 3);
    qInfo("locked by another process: answered 503 storage_unavailable after %lld ms (SQLite's "
          "busy timeout), accepted again once released",
        lockedMs);
}

// A wrong key and a key right but for its last character take the same time: the key is
// hashed and compared with every stored hash in constant time. Measured end to end (client
// round trip, interleaved to cancel drift) and on the server (the log's handling time).
void tst_Hardening::keyTimingDoesNotLeak()
{
    QVERIFY(openSite(m_dir->filePath(u"hooktrail.db"_s), baseOptions()));
    Site &site = *m_site;
    constexpr int pairs = 1200;
    const QByteArray secret = site.secret();
    QByteArray nearlyRight = secret;
    nearlyRight.back() = nearlyRight.back() == 'A' ? 'B' : 'A';
    QRandomGenerator random(kGarbageSeed);
    const auto randomKey = [&] {
        QByteArray key = "htk_";
        const QByteArray alphabet
            = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        while (key.size() < secret.size())
            key += alphabet.at(random.bounded(int(alphabet.size())));
        return key;
    };

    RawHttpClient client(site.port());
    QVERIFY(client.connectToServer());
    QList<double> wrongUs;
    QList<double> nearlyUs;
    QSet<qint64> wrongIds;
    QSet<qint64> nearlyIds;
    const auto measure = [&](const QByteArray &key, QList<double> &samples, QSet<qint64> &ids) {
        const QByteArray request = httpRequest(
            "POST", site.target("api-key=" + key), "Content-Type: application/json\r\n", "{}");
        QElapsedTimer timer;
        timer.start();
        if (!client.send(request))
            return false;
        const std::optional<HttpAnswer> answer = client.readAnswer();
        samples.append(double(timer.nsecsElapsed()) / 1000.0);
        if (!answer || answer->reason() != u"invalid_api_key")
            return false;
        ids.insert(answer->requestId());
        return true;
    };
    for (int i = 0; i < 50; ++i) // warm-up, not counted
        QVERIFY(measure(randomKey(), wrongUs, wrongIds));
    wrongUs.clear();
    wrongIds.clear();
    for (int i = 0; i < pairs; ++i) {
        // Alternate which goes first, so drift and any order effect fall on both alike.
        if (random.bounded(2)) {
            QVERIFY(measure(randomKey(), wrongUs, wrongIds));
            QVERIFY(measure(nearlyRight, nearlyUs, nearlyIds));
        } else {
            QVERIFY(measure(nearlyRight, nearlyUs, nearlyIds));
            QVERIFY(measure(randomKey(), wrongUs, wrongIds));
        }
    }
    QList<double> wrongServer;
    QList<double> nearlyServer;
    const QHash<qint64, LoggedRequest> rows = site.rows();
    for (const LoggedRequest &row : rows) {
        if (wrongIds.contains(row.id))
            wrongServer.append(double(row.handlingMicros));
        else if (nearlyIds.contains(row.id))
            nearlyServer.append(double(row.handlingMicros));
    }
    QCOMPARE(wrongServer.size(), pairs);
    QCOMPARE(nearlyServer.size(), pairs);

    const double wrongMedian = percentile(wrongUs, 50);
    const double nearlyMedian = percentile(nearlyUs, 50);
    const double difference = std::abs(wrongMedian - nearlyMedian);
    // The spread of the samples, for scale: a real leak would stand out of it.
    const double spread = percentile(wrongUs, 75) - percentile(wrongUs, 25);
    const double serverWrong = percentile(wrongServer, 50);
    const double serverNearly = percentile(nearlyServer, 50);
    qInfo("key timing, %d interleaved pairs: round trip median wrong key %.1f us, nearly right "
          "%.1f us (difference %.1f us, %.2f%%; interquartile range %.1f us); handling on the "
          "server median %.0f us vs %.0f us",
        pairs, wrongMedian, nearlyMedian, difference, 100 * difference / wrongMedian, spread,
        serverWrong, serverNearly);
    // Sound against noise: the difference of two medians of 1,200 samples is far below both
    // bounds unless the two kinds of key really take different times.
    QVERIFY2(difference < std::max(50.0, 0.05 * wrongMedian),
        qPrintable(u"round-trip medians differ by %1 us"_s.arg(difference)));
    QVERIFY2(std::abs(serverWrong - serverNearly) <= std::max(3.0, 0.1 * serverWrong),
        qPrintable(u"server handling medians %1 us vs %2 us"_s.arg(serverWrong).arg(serverNearly)));
}

// The comparison itself: digests differing in the first byte and in the last take the same
// time. An early-exit comparison over 32 bytes differs by several times between those.
void tst_Hardening::constantTimeEqualsTiming()
{
    const QByteArray stored = ApiKeys::hash("htk_the stored key");
    // One candidate buffer, a byte flipped in place for each measure: both kinds of candidate
    // sit at the same addresses, so only the comparison's own work can tell them apart (two
    // buffers' placement alone once made a 2x difference).
    QByteArray candidate(stored.constData(), stored.size());
    const qsizetype firstByte = 0;
    const qsizetype lastByte = candidate.size() - 1;
    constexpr int rounds = 400;
    constexpr int callsPerRound = 5000;
    QList<double> firstNs;
    QList<double> lastNs;
    volatile bool sink = false;
    const auto time = [&](qsizetype flipped) {
        char *bytes = candidate.data();
        bytes[flipped] = char(bytes[flipped] ^ 0x01);
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < callsPerRound; ++i)
            sink = ApiKeys::constantTimeEquals(candidate, stored) || sink;
        const double ns = double(timer.nsecsElapsed()) / callsPerRound;
        bytes[flipped] = char(bytes[flipped] ^ 0x01);
        return ns;
    };
    for (int round = 0; round < rounds; ++round) {
        if (round % 2) {
            firstNs.append(time(firstByte));
            lastNs.append(time(lastByte));
        } else {
            lastNs.append(time(lastByte));
            firstNs.append(time(firstByte));
        }
    }
    QVERIFY(!sink);
    QVERIFY(ApiKeys::constantTimeEquals(stored, stored));
    const double firstMedian = percentile(firstNs, 50);
    const double lastMedian = percentile(lastNs, 50);
    const double ratio = std::max(firstMedian, lastMedian) / std::min(firstMedian, lastMedian);
    qInfo("constantTimeEquals over 32-byte digests, median per call: differing first byte "
          "%.2f ns, last byte %.2f ns (ratio %.3f)",
        firstMedian, lastMedian, ratio);
    QVERIFY2(ratio < 1.15, qPrintable(u"ratio %1"_s.arg(ratio)));
}

// Keys sent in every place a sender may put them, valid or not, never show up in Qt's messages
// (every category at debug level), any column of any table, the database files' bytes, or an
// export or copied command.
void tst_Hardening::secretsNeverLeak()
{
    g_messages.clear();
    const QtMessageHandler previous = qInstallMessageHandler(captureMessage);
    QLoggingCategory::setFilterRules(u"*.debug=true"_s);
    const auto restore = qScopeGuard([previous] {
        QLoggingCategory::setFilterRules(QString());
        qInstallMessageHandler(previous);
    });

    QVERIFY(openSite(m_dir->filePath(u"hooktrail.db"_s), baseOptions()));
    Site &site = *m_site;
    const QByteArray valid = site.secret();
    const QByteArray wrong = "htk_" + QByteArray("wrongwrongwrongwrongwrongwrongwrongwrongwro");
    // The visible prefix of a key is stored by design; the rest must never be.
    const QList<QByteArray> needles { valid.mid(ApiKeys::prefixOf(site.key().secret).size()),
        wrong.mid(4), "bearer-token-value"_ba, "cookie-value"_ba };

    int sent = 0;
    RawHttpClient client(site.port());
    QVERIFY(client.connectToServer());
    for (const QByteArray &key : { valid, wrong }) {
        const QList<QPair<QByteArray, QByteArray>> placements {
            { "api-key=" + key, {} },
            { "source=crm&api-key=" + key + "&x=1", {} },
            { "%61pi-key=" + key, {} },
            { "API-KEY=" + key, {} },
            { {}, "X-Api-Key: " + key + "\r\n" },
            { {}, "x-api-key: " + key + "\r\n" },
            { {}, "Authorization: Bearer " + key + "\r\n" },
            { {}, "Authorization: Bearer bearer-token-value\r\nX-API-KEY: " + key + "\r\n" },
            { {}, "Proxy-Authorization: Basic " + key + "\r\n" },
            { "api-key=" + key, "Cookie: session=cookie-value; key=" + key + "\r\n" },
        };
        for (const auto &[query, headers] : placements) {
            QVERIFY(client.send(httpRequest("POST", site.target(query),
                "Content-Type: application/json\r\n" + headers, R"({"event":"secrets"})")));
            const std::optional<HttpAnswer> answer = client.readAnswer();
            QVERIFY(answer.has_value());
            QCOMPARE(contractViolation(*answer), QString());
            for (const QByteArray &needle : needles)
                QVERIFY2(!answer->body.contains(needle), answer->body.constData());
            ++sent;
        }
    }
    // Malformed requests are logged too, with whatever part of them was read.
    for (const QByteArray &bytes : { "POST " + site.target("api-key=" + valid)
                 + " HTTP/1.1\r\nHost: h\r\nX-Bad: a\x01\r\n\r\n",
             "POST " + site.target("api-key=" + valid)
                 + " HTTP/1.1\r\nHost: h\r\nX-Api-Key: " + valid + "\r\n folded\r\n\r\n",
             "POST " + site.target("api-key=" + valid)
                 + " HTTP/1.1\r\nHost: h\r\nContent-Length: x\r\n\r\n" }) {
        RawHttpClient bad(site.port());
        QVERIFY(bad.connectToServer());
        QVERIFY(bad.send(bytes));
        const std::optional<HttpAnswer> answer = bad.readAnswer();
        QVERIFY(answer.has_value());
        QCOMPARE(answer->status, 400);
        ++sent;
    }
    QTRY_COMPARE_WITH_TIMEOUT(site.rows().size(), sent, 10000);
    // The log's search index is filled behind it; have it filled, then let go of the files.
    RequestFilter search;
    search.search = u"secrets"_s;
    QVERIFY(site.store()->queries().requests(search).ok());

    QStringList leaks;
    const auto check = [&](const QString &where, const QByteArray &bytes) {
        for (const QByteArray &needle : needles) {
            if (bytes.contains(needle))
                leaks.append(
                    where + u" holds "_s + QString::fromLatin1(needle.left(12)) + u"..."_s);
        }
    };
    // Every column of every row of every table, the search index's shadow tables included.
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"leaks"_s);
        db.setDatabaseName(site.databasePath());
        QVERIFY(db.open());
        QSqlQuery tables(db);
        QVERIFY(tables.exec(u"SELECT name FROM sqlite_master WHERE type = 'table'"_s));
        QStringList names;
        while (tables.next())
            names.append(tables.value(0).toString());
        QVERIFY(names.contains(u"requests"_s));
        for (const QString &table : std::as_const(names)) {
            QSqlQuery rows(db);
            QVERIFY2(rows.exec(u"SELECT * FROM \"%1\""_s.arg(table)),
                qPrintable(rows.lastError().text()));
            while (rows.next()) {
                for (int column = 0; column < rows.record().count(); ++column) {
                    const QVariant value = rows.value(column);
                    check(table + u'.' + rows.record().fieldName(column),
                        value.typeId() == QMetaType::QByteArray ? value.toByteArray()
                                                                : value.toString().toUtf8());
                }
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(u"leaks"_s);
    // Exports and copied commands.
    for (const auto format :
        { RequestExport::Format::Har, RequestExport::Format::Jsonl, RequestExport::Format::Csv }) {
        QBuffer buffer;
        QVERIFY(buffer.open(QIODevice::WriteOnly));
        const Status written = RequestExport::write(*site.store(), format, {}, {}, buffer);
        QVERIFY2(written, qPrintable(written.error()));
        QVERIFY(buffer.data().size() > 1000);
        check(u"export ."_s + RequestExport::fileSuffix(format), buffer.data());
    }
    for (const LoggedRequest &row : site.rows())
        check(u"curl command"_s, CurlCommand::fromRequest(row, u"http://127.0.0.1:1"_s).toUtf8());
    // The raw files, while in use (the write-ahead log holds recent rows) and after the
    // receiver and every connection let go of them (all of it checkpointed into the file).
    const QString databasePath = site.databasePath();
    const auto checkFiles = [&](const QString &when) {
        for (const QString &suffix : { u""_s, u"-wal"_s, u"-shm"_s, u"-journal"_s }) {
            QFile file(databasePath + suffix);
            if (file.open(QIODevice::ReadOnly))
                check(u"file hooktrail.db"_s + suffix + when, file.readAll());
        }
    };
    checkFiles(u" (open)"_s);
    m_site.reset();
    qInstallMessageHandler(previous);
    checkFiles(u" (closed)"_s);
    QMutexLocker locker(&g_messagesMutex);
    const QString messages = g_messages.join(u'\n');
    check(u"Qt messages"_s, messages.toUtf8());
    qInfo("secrets: %d requests with keys in the query, X-Api-Key, Authorization, "
          "Proxy-Authorization and Cookie; %lld Qt messages captured; leaks: %lld",
        sent, qlonglong(g_messages.size()), qlonglong(leaks.size()));
    QVERIFY(!g_messages.isEmpty()); // debug output was on and captured
    QVERIFY2(leaks.isEmpty(), qPrintable(leaks.join(u'\n')));
}

// The log falls behind (another connection holds its write lock while senders go on at full
// speed, far more than the bounded queue takes): answers past the queue are 503 overloaded with
// Retry-After at once, memory stays bounded, and every acknowledged request is in the log.
void tst_Hardening::overloadAnswersFast()
{
    const QString databasePath = m_dir->filePath(u"hooktrail.db"_s);
    QVERIFY(openSite(databasePath, baseOptions()));
    Site &site = *m_site;
    site.engine()->stopReceiver();
    // A writer and receiver of the product's kind, with a small queue to overflow.
    LogWriter::Limits limits;
    limits.maxQueued = 100;
    limits.maxQueuedBytes = 2 * 1024 * 1024;
    LogWriter writer(Engine::sqliteFactory(databasePath), limits);
    writer.start();
    Receiver receiver(&writer, site.engine()->config());
    ReceiverOptions options = baseOptions();
    QVERIFY(receiver.start(options).ok());
    const auto stop = qScopeGuard([&] {
        receiver.stop();
        writer.stop();
        writer.wait();
    });

    constexpr int senders = 8;
    constexpr int perSender = 400;
    const QByteArray request
        = site.acceptedRequest(R"({"pad":")" + QByteArray(32 * 1024, 'o') + R"("})");
    const qint64 offeredMb = qint64(senders) * perSender * request.size() / (1024 * 1024);

    // Warm up (threads, page cache) before taking the memory baseline.
    {
        RawHttpClient warm(receiver.port());
        QVERIFY(warm.connectToServer());
        for (int i = 0; i < 50; ++i) {
            QVERIFY(warm.send(request));
            QVERIFY(warm.readAnswer().has_value());
        }
    }
    const bool peakReset = resetPeakRss();
    const qint64 rssBefore = procStatusKb("VmRSS");

    QSqlDatabase lockDb = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"overload-lock"_s);
    lockDb.setDatabaseName(databasePath);
    QVERIFY(lockDb.open());
    const auto dropLock = qScopeGuard([&] {
        lockDb.close();
        lockDb = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"overload-lock"_s);
    });
    QSqlQuery lockQuery(lockDb);
    QVERIFY(lockQuery.exec(u"BEGIN EXCLUSIVE"_s));
    std::atomic<bool> locked { true };
    QElapsedTimer clock;
    clock.start();

    struct SenderOutcome
    {
        AnswerTally tally;
        QByteArray error;
    };
    std::vector<SenderOutcome> outcomes(senders);
    const quint16 port = receiver.port();
    std::vector<std::unique_ptr<QThread>> threads;
    for (int s = 0; s < senders; ++s) {
        threads.emplace_back(QThread::create([&, s] {
            SenderOutcome &outcome = outcomes[size_t(s)];
            RawHttpClient client(port);
            if (!client.connectToServer()) {
                outcome.error = "cannot connect";
                return;
            }
            int answered = 0;
            const auto take = [&](int timeoutMs) {
                client.pump(timeoutMs);
                while (std::optional<HttpAnswer> answer = takeAnswer(client.buffer())) {
                    outcome.tally.add(answer);
                    ++answered;
                }
            };
            for (int i = 0; i < perSender; ++i) {
                if (!client.send(request, 30000)) {
                    outcome.error = "send stalled at request " + QByteArray::number(i);
                    return;
                }
                take(0);
            }
            const QDeadlineTimer deadline(40000);
            while (answered < perSender && !deadline.hasExpired() && !client.isClosed())
                take(100);
            if (answered != perSender)
                outcome.error = "answers: " + QByteArray::number(answered);
        }));
    }
    const auto joinThreads = qScopeGuard([&] {
        if (locked.exchange(false))
            lockQuery.exec(u"ROLLBACK"_s);
        for (auto &thread : threads)
            thread->wait();
    });
    for (auto &thread : threads)
        thread->start();
    // Once the queue is full, a newcomer is told so at once, while the log is still stuck:
    // the answer does not wait for the log. (On the senders' own connections a refusal waits
    // behind their queued requests, since answers leave in order.)
    QTRY_VERIFY_WITH_TIMEOUT(receiver.stats().overloaded.loadRelaxed() > 0, 2500);
    RawHttpClient probe(receiver.port());
    QVERIFY(probe.connectToServer());
    QElapsedTimer probeClock;
    probeClock.start();
    QVERIFY(probe.send(request));
    const std::optional<HttpAnswer> refusal = probe.readAnswer(2000);
    const qint64 refusalMs = probeClock.elapsed();
    QVERIFY(refusal.has_value());
    QCOMPARE(contractViolation(*refusal), QString());
    QCOMPARE(refusal->status, 503);
    QCOMPARE(refusal->reason(), u"overloaded"_s);
    QCOMPARE(refusal->header("retry-after"), QByteArray::number(kRetryAfter));
    QVERIFY2(clock.elapsed() < 3000, "the refusal came only after the log was free again");
    // The log stays stuck for three seconds (inside SQLite's ten-second busy timeout, so the
    // writer waits rather than fails) while the senders go on.
    QTest::qWait(int(std::max<qint64>(0, 3000 - clock.elapsed())));
    qint64 peakKb = procStatusKb("VmRSS");
    locked = false;
    QVERIFY(lockQuery.exec(u"ROLLBACK"_s));
    const qint64 lockedMs = clock.elapsed();
    for (auto &thread : threads) {
        while (!thread->wait(QDeadlineTimer(100)))
            peakKb = std::max(peakKb, procStatusKb("VmRSS"));
    }
    if (peakReset)
        peakKb = std::max(peakKb, procStatusKb("VmHWM"));
    const qint64 totalMs = clock.elapsed();

    AnswerTally all;
    for (const SenderOutcome &outcome : outcomes) {
        QVERIFY2(outcome.error.isEmpty(), outcome.error.constData());
        all.acknowledged += outcome.tally.acknowledged;
        all.problems += outcome.tally.problems;
        for (auto it = outcome.tally.byReason.cbegin(); it != outcome.tally.byReason.cend(); ++it)
            all.byReason[it.key()] += it.value();
    }
    const QHash<qint64, LoggedRequest> rows = site.rows();
    const QString missing = missingFromLog(all.acknowledged, rows);
    const int overloaded = all.count(u"overloaded"_s);
    qInfo("overload: %d senders offered %d requests (%lld MiB) with the log stuck for %lld ms of "
          "%lld ms; %d acknowledged, %d answered 503 overloaded, a newcomer refused in %lld ms "
          "while stuck; RSS %lld KiB before, peak %lld KiB (+%lld KiB); %lld rows logged",
        senders, senders * perSender, offeredMb, lockedMs, totalMs, all.count(u"accepted"_s),
        overloaded, refusalMs, rssBefore, peakKb, peakKb - rssBefore, qlonglong(rows.size()));
    QVERIFY2(all.problems.isEmpty(), qPrintable(all.problems.mid(0, 10).join(u'\n')));
    QCOMPARE(all.count(u"accepted"_s) + overloaded, senders * perSender);
    QVERIFY2(overloaded > 0, "no sender was refused");
    QVERIFY2(missing.isEmpty(), qPrintable(u"acknowledged but not logged: "_s + missing));
    QCOMPARE(rows.size(), all.acknowledged.size() + 50); // the warm-up's rows, and no others
    if (kSanitized)
        QSKIP("memory growth is not measurable under AddressSanitizer (its quarantine keeps freed "
              "blocks resident)");
    QVERIFY2(peakKb - rssBefore < 64 * 1024,
        qPrintable(u"memory grew by %1 KiB while %2 MiB were offered"_s.arg(peakKb - rssBefore)
                       .arg(offeredMb)));
}

// Senders that send their headers and then a body byte now and then (each byte would reset an
// idle timeout) fill every slot. At the cap a valid sender is still served: the slowest
// trickler gives up its slot. Every trickler is let go (408 or closed) once its body falls
// behind the minimum rate, and each is in the log.
void tst_Hardening::slowBodiesAtTheCap()
{
    constexpr int cap = 16;
    constexpr int graceMs = 5000;
    constexpr int trickleMs = 1000;
    ReceiverOptions options = baseOptions();
    options.maxConnections = cap;
    options.idleTimeoutMs = 60000; // not what lets them go
    options.bodyGraceMs = graceMs;
    options.minBodyBytesPerSecond = 1024;
    QVERIFY(openSite(m_dir->filePath(u"hooktrail.db"_s), options));
    Site &site = *m_site;
    const ReceiverStats &stats = site.engine()->receiver()->stats();
    const QByteArray head = "POST " + site.target(site.keyQuery())
        + " HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n";

    QElapsedTimer clock;
    clock.start();
    std::vector<std::unique_ptr<PlainSocket>> tricklers;
    for (int i = 0; i < cap; ++i) {
        tricklers.push_back(std::make_unique<PlainSocket>());
        QVERIFY(tricklers.back()->connectTo(site.port()));
        QVERIFY(tricklers.back()->sendAll(head + "["));
    }
    QTRY_COMPARE_WITH_TIMEOUT(stats.connections.loadRelaxed(), cap, 10000);
    const qint64 heldAt = clock.elapsed();

    std::atomic<bool> stopTrickling { false };
    std::unique_ptr<QThread> trickle(QThread::create([&] {
        while (!stopTrickling) {
            bool anyOpen = false;
            for (auto &trickler : tricklers) {
                if (trickler->brokenByPeer())
                    continue;
                anyOpen = true;
                trickler->send(" ", 0);
            }
            if (!anyOpen)
                return;
            for (int waited = 0; waited < trickleMs && !stopTrickling; waited += 50)
                QThread::msleep(50);
        }
    }));
    trickle->start();
    const auto stop = qScopeGuard([&] {
        stopTrickling = true;
        trickle->wait();
    });

    // Once the tricklers are below the minimum rate (a few hundred bytes in a second), and
    // long before their grace is over, a valid sender comes.
    QTest::qWait(1000);
    RawHttpClient sender(site.port());
    QVERIFY(sender.connectToServer());
    QVERIFY(sender.send(site.acceptedRequest()));
    const std::optional<HttpAnswer> answer = sender.readAnswer(10000);
    const qint64 servedAt = clock.elapsed();
    QVERIFY(answer.has_value());
    QCOMPARE(contractViolation(*answer), QString());
    QCOMPARE(answer->status, 200);
    // Served by taking a trickler's slot, not because the grace ran out meanwhile.
    if (servedAt < heldAt + graceMs)
        QVERIFY(stats.shed.loadRelaxed() >= 1);

    // Every trickler is let go soon after its grace: the sweep runs every second.
    QVERIFY(trickle->wait(QDeadlineTimer(graceMs + 10000)));
    int timedOut = 0;
    int closed = 0;
    QStringList problems;
    for (auto &trickler : tricklers) {
        if (!trickler->readUntilClosed(
                int(std::max<qint64>(1, heldAt + graceMs + 10000 - clock.elapsed())))) {
            problems.append(u"a trickler is still open"_s);
            continue;
        }
        QByteArray received = trickler->received();
        if (received.isEmpty()) {
            ++closed; // its slot went to a newcomer
            continue;
        }
        const std::optional<HttpAnswer> refusal = takeAnswer(received);
        if (!refusal || refusal->status != 408 || refusal->reason() != u"request_timeout")
            problems.append(u"not a 408: "_s + QString::fromLatin1(trickler->received().left(200)));
        else
            ++timedOut;
    }
    const qint64 endedAt = clock.elapsed();
    qInfo("slow bodies: %d tricklers held the cap of %d; a valid sender was served 200 %lld ms "
          "after they all were in; %d gave up their slot at the cap, %d were answered 408, all "
          "gone %lld ms after they were in (grace %d ms, minimum 1024 bytes/s)",
        cap, cap, servedAt - heldAt, closed, timedOut, endedAt - heldAt, graceMs);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    QCOMPARE(closed + timedOut, cap);
    QCOMPARE(qint64(closed), stats.shed.loadRelaxed());
    // Each trickler is in the log, shed ones included.
    QTRY_COMPARE_WITH_TIMEOUT(site.rows().size(), cap + 1, 10000);
    int logged408 = 0;
    for (const LoggedRequest &row : site.rows()) {
        if (row.status == 408 && row.reason == "request_timeout" && row.bodySize < 1000)
            ++logged408;
    }
    QCOMPARE(logged408, cap);
}

// A client pipelines requests and never reads an answer. The receiver stops reading from it
// once a bounded amount of answers waits (rather than buffer answers without end), and once
// nothing has left for the idle timeout it aborts the connection (a graceful close would wait
// for the client for ever).
void tst_Hardening::clientThatNeverReads()
{
    constexpr int idleMs = 2000;
    ReceiverOptions options = baseOptions();
    options.idleTimeoutMs = idleMs;
    QVERIFY(openSite(m_dir->filePath(u"hooktrail.db"_s), options));
    Site &site = *m_site;
    const ReceiverStats &stats = site.engine()->receiver()->stats();
    const QByteArray request = site.acceptedRequest();
    {
        RawHttpClient warm(site.port());
        QVERIFY(warm.connectToServer());
        for (int i = 0; i < 200; ++i) {
            QVERIFY(warm.send(request));
            QVERIFY(warm.readAnswer().has_value());
        }
    }
    QTRY_COMPARE_WITH_TIMEOUT(stats.connections.loadRelaxed(), 0, 5000);
    const bool peakReset = resetPeakRss();
    const qint64 rssBefore = procStatusKb("VmRSS");

    // Whole requests back to back, sent round and round from any offset.
    QByteArray block;
    while (block.size() < 64 * 1024)
        block += request;
    PlainSocket client;
    QVERIFY(client.connectTo(site.port(), 4096));
    QElapsedTimer clock;
    clock.start();
    qint64 sent = 0;
    qint64 offset = 0;
    qint64 lastProgressAt = 0;
    qint64 peakKb = rssBefore;
    bool broken = false;
    // Until the receiver has taken nothing for longer than its idle timeout, or 20 s.
    while (clock.elapsed() < 20000 && clock.elapsed() - lastProgressAt < idleMs + 3000) {
        const qint64 n = client.send(QByteArrayView(block).sliced(offset), 200);
        if (n < 0) {
            broken = true;
            break;
        }
        if (n > 0) {
            sent += n;
            offset = (offset + n) % block.size();
            lastProgressAt = clock.elapsed();
        }
        peakKb = std::max(peakKb, procStatusKb("VmRSS"));
        if (client.brokenByPeer()) {
            broken = true;
            break;
        }
    }
    const qint64 stalledAt = lastProgressAt;
    // The slot is freed: the connection was aborted, though the client neither reads nor closes.
    const QDeadlineTimer abortDeadline(idleMs + 8000);
    while (stats.connections.loadRelaxed() != 0 && !abortDeadline.hasExpired())
        QTest::qWait(20);
    const qint64 abortedAt = stats.connections.loadRelaxed() == 0 ? clock.elapsed() : -1;
    if (peakReset)
        peakKb = std::max(peakKb, procStatusKb("VmHWM"));
    const qint64 requestsTaken = stats.requests.loadRelaxed() - 200;
    qInfo("never-reading client: sent %lld KiB (%lld requests) in %lld ms before the receiver "
          "stopped taking them, %lld requests read and answered unread; aborted %lld ms after "
          "the last byte it took (-1: not; idle timeout %d ms; seen broken while sending: %d); "
          "RSS %lld KiB before, peak %lld KiB (+%lld KiB)",
        sent / 1024, sent / request.size(), stalledAt, requestsTaken,
        abortedAt < 0 ? -1 : abortedAt - stalledAt, idleMs, int(broken), rssBefore, peakKb,
        peakKb - rssBefore);
    QVERIFY2(
        stalledAt < 15000, "the receiver never stopped reading from a client that reads nothing");
    QVERIFY2(abortedAt >= 0, "the connection of a client that reads nothing was never let go");
    QTRY_VERIFY_WITH_TIMEOUT(client.brokenByPeer(), 5000);
    if (kSanitized)
        QSKIP("memory growth is not measurable under AddressSanitizer (its quarantine keeps freed "
              "blocks resident)");
    QVERIFY2(peakKb - rssBefore < 16 * 1024,
        qPrintable(
            u"memory grew by %1 KiB for one client that reads nothing"_s.arg(peakKb - rssBefore)));
}

// Many senders each send a 10 MiB body (the size limit) to a route that does not exist. The
// route is known to be wrong when the headers end: the bodies are counted, not kept, so the
// receiver stays near its baseline while all of them are mid-body at once.
void tst_Hardening::refusedBodiesAreNotBuffered()
{
    constexpr int senders = 24;
    constexpr qint64 bodyBytes = 10 * 1024 * 1024;
    QVERIFY(openSite(m_dir->filePath(u"hooktrail.db"_s), baseOptions()));
    Site &site = *m_site;
    const QByteArray head = "POST /nope HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
                            "Content-Length: "
        + QByteArray::number(bodyBytes) + "\r\n\r\n";
    const QByteArray chunk(64 * 1024, 'x');
    const auto sendBody = [&](PlainSocket &socket, qint64 bytes) {
        for (qint64 at = 0; at < bytes; at += chunk.size()) {
            if (!socket.sendAll(QByteArrayView(chunk).first(
                    qsizetype(std::min<qint64>(chunk.size(), bytes - at)))))
                return false;
        }
        return true;
    };
    { // warm-up: one such request, so buffers the receiver keeps anyway are in the baseline
        PlainSocket warm;
        QVERIFY(warm.connectTo(site.port()));
        QVERIFY(warm.sendAll(head));
        QVERIFY(sendBody(warm, bodyBytes));
        const std::optional<HttpAnswer> answer = warm.readAnswer(30000);
        QVERIFY(answer.has_value());
        QCOMPARE(answer->status, 404);
    }
    const bool peakReset = resetPeakRss();
    const qint64 rssBefore = procStatusKb("VmRSS");

    std::atomic<int> midBody { 0 };
    std::atomic<bool> finish { false };
    std::vector<std::optional<HttpAnswer>> answers(senders);
    std::vector<std::unique_ptr<QThread>> threads;
    for (int i = 0; i < senders; ++i) {
        threads.emplace_back(QThread::create([&, i] {
            PlainSocket socket;
            if (!socket.connectTo(site.port()) || !socket.sendAll(head)
                || !sendBody(socket, bodyBytes - chunk.size())) {
                ++midBody;
                return;
            }
            ++midBody;
            while (!finish)
                QThread::msleep(10);
            if (socket.sendAll(chunk))
                answers[size_t(i)] = socket.readAnswer(30000);
        }));
        threads.back()->start();
    }
    const auto join = qScopeGuard([&] {
        finish = true;
        for (auto &thread : threads)
            thread->wait();
    });
    QTRY_VERIFY_WITH_TIMEOUT(midBody.load() == senders, 120000);
    // Every sender is one chunk short of the end: whatever the receiver holds of the bodies, it
    // holds now.
    qint64 peakKb = procStatusKb("VmRSS");
    finish = true;
    for (auto &thread : threads)
        thread->wait();
    if (peakReset)
        peakKb = std::max(peakKb, procStatusKb("VmHWM"));

    int refused = 0;
    for (const std::optional<HttpAnswer> &answer : answers) {
        QVERIFY(answer.has_value());
        QCOMPARE(contractViolation(*answer), QString());
        QCOMPARE(answer->status, 404);
        QCOMPARE(answer->reason(), u"unknown_route"_s);
        ++refused;
    }
    qInfo("refused bodies: %d senders each mid-way through a %lld MiB body to an unknown route "
          "(%lld MiB offered); RSS %lld KiB before, peak %lld KiB (+%lld KiB)",
        refused, bodyBytes >> 20, (bodyBytes * senders) >> 20, rssBefore, peakKb,
        peakKb - rssBefore);
    if (!kSanitized) // ASan's quarantine keeps freed blocks resident: RSS says nothing there
        QVERIFY2(peakKb - rssBefore < 32 * 1024,
            qPrintable(u"memory grew by %1 KiB while %2 refused bodies were arriving"_s
                           .arg(peakKb - rssBefore)
                           .arg(senders)));
    const QHash<qint64, LoggedRequest> rows = site.rows();
    QCOMPARE(rows.size(), senders + 1);
    for (const LoggedRequest &row : rows) {
        QCOMPARE(row.bodySize, bodyBytes);
        QVERIFY(row.bodyTruncated);
        QCOMPARE(row.body.size(), RejectedBodyKeptBytes);
    }
}

// The log keeps 64 KiB of a refused body with its full size: five 10 MiB bodies to an unknown
// route add a few hundred KiB to the database, not 50 MiB.
void tst_Hardening::refusedBodiesKeepOnlyAPrefix()
{
    constexpr int count = 5;
    constexpr qint64 bodyBytes = 10 * 1024 * 1024;
    const QString databasePath = m_dir->filePath(u"hooktrail.db"_s);
    QVERIFY(openSite(databasePath, baseOptions()));
    Site &site = *m_site;
    { // the first row's own pages (the table's first leaf, the index) are not what is measured
        RawHttpClient first(site.port());
        QVERIFY(first.connectToServer());
        QVERIFY(first.send(site.acceptedRequest()));
        QVERIFY(first.readAnswer().has_value());
    }
    const qint64 before = databaseBytes(databasePath);
    const QByteArray body = QByteArray(bodyBytes, 'z');
    PlainSocket socket;
    QVERIFY(socket.connectTo(site.port()));
    for (int i = 0; i < count; ++i) {
        QVERIFY(
            socket.sendAll("POST /nope HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
                           "Content-Length: "
                + QByteArray::number(bodyBytes) + "\r\n\r\n"));
        QVERIFY(socket.sendAll(body));
        const std::optional<HttpAnswer> answer = socket.readAnswer(30000);
        QVERIFY(answer.has_value());
        QCOMPARE(answer->status, 404); // answered once committed
    }
    const qint64 after = databaseBytes(databasePath);
    qInfo("refused bodies in the log: %d x %lld MiB to an unknown route added %lld KiB to the "
          "database and its WAL",
        count, bodyBytes >> 20, (after - before) / 1024);
    QVERIFY2(after - before < 1024 * 1024,
        qPrintable(u"the database grew by %1 KiB"_s.arg((after - before) / 1024)));
    int truncated = 0;
    for (const LoggedRequest &row : site.rows()) {
        if (row.status != 404)
            continue;
        QCOMPARE(row.bodySize, bodyBytes);
        QVERIFY(row.bodyTruncated);
        QCOMPARE(row.body, body.left(RejectedBodyKeptBytes));
        QCOMPARE(row.toJson().value(u"bodyTruncated"_s).toBool(), true);
        ++truncated;
    }
    QCOMPARE(truncated, count);
}

// The log writer's queue is bounded in bytes; an entry counts for all a sender put in it, its
// headers as much as its body. With the log stuck, requests with 40 KiB of headers and a
// two-byte body reach the bound (503 overloaded) long before the queue's count does.
void tst_Hardening::writerCountsWholeEntries()
{
    const QString databasePath = m_dir->filePath(u"hooktrail.db"_s);
    QVERIFY(openSite(databasePath, baseOptions()));
    Site &site = *m_site;
    site.engine()->stopReceiver();
    LogWriter::Limits limits;
    limits.maxQueued = 100000;
    limits.maxQueuedBytes = 2 * 1024 * 1024;
    LogWriter writer(Engine::sqliteFactory(databasePath), limits);
    writer.start();
    Receiver receiver(&writer, site.engine()->config());
    QVERIFY(receiver.start(baseOptions()).ok());
    const auto stop = qScopeGuard([&] {
        receiver.stop();
        writer.stop();
        writer.wait();
    });
    {
        RawHttpClient warm(receiver.port());
        QVERIFY(warm.connectToServer());
        QVERIFY(warm.send(site.acceptedRequest()));
        QVERIFY(warm.readAnswer().has_value());
    }

    constexpr int connections = 8;
    constexpr int perConnection = 40; // within the pipelining read-ahead of one connection
    const QByteArray request = httpRequest("POST", site.target(site.keyQuery()),
        "Content-Type: application/json\r\nX-Pad: " + QByteArray(40 * 1024, 'h') + "\r\n", "{}");
    QByteArray pipelined;
    for (int i = 0; i < perConnection; ++i)
        pipelined += request;

    QSqlDatabase lockDb = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"entries-lock"_s);
    lockDb.setDatabaseName(databasePath);
    QVERIFY(lockDb.open());
    const auto dropLock = qScopeGuard([&] {
        lockDb.close();
        lockDb = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"entries-lock"_s);
    });
    QSqlQuery lockQuery(lockDb);
    QVERIFY(lockQuery.exec(u"BEGIN EXCLUSIVE"_s));
    bool locked = true;
    const auto unlock = qScopeGuard([&] {
        if (locked)
            lockQuery.exec(u"ROLLBACK"_s);
    });

    std::vector<std::unique_ptr<RawHttpClient>> clients;
    for (int i = 0; i < connections; ++i) {
        clients.push_back(std::make_unique<RawHttpClient>(receiver.port()));
        QVERIFY(clients.back()->connectToServer());
        QVERIFY(clients.back()->send(pipelined, 10000));
    }
    // While the log is stuck, the receiver has read every request (the queue is not full by
    // count); refusals for lack of room are what it can answer.
    QTRY_COMPARE_WITH_TIMEOUT(
        receiver.stats().requests.loadRelaxed(), qint64(1 + connections * perConnection), 5000);
    const qint64 overloadedWhileStuck = receiver.stats().overloaded.loadRelaxed();
    QVERIFY(lockQuery.exec(u"ROLLBACK"_s));
    locked = false;

    AnswerTally tally;
    for (auto &client : clients) {
        for (int i = 0; i < perConnection; ++i)
            tally.add(client->readAnswer(20000));
    }
    qInfo("whole entries: %d requests of %lld KiB headers and a 2-byte body with the log stuck "
          "and a queue bound of %lld KiB: %lld refused 503 overloaded while stuck; %d accepted "
          "afterwards",
        connections * perConnection, qlonglong(request.size() / 1024), limits.maxQueuedBytes / 1024,
        overloadedWhileStuck, tally.count(u"accepted"_s));
    QVERIFY2(tally.problems.isEmpty(), qPrintable(tally.problems.mid(0, 10).join(u'\n')));
    QCOMPARE(
        tally.count(u"accepted"_s) + tally.count(u"overloaded"_s), connections * perConnection);
    // 320 x 40 KiB is over 12 MiB of headers against a bound of 2 MiB.
    QVERIFY2(overloadedWhileStuck > 0, "the queue took far more than its byte bound");
    QVERIFY(tally.count(u"accepted"_s) * qint64(request.size()) < 3 * limits.maxQueuedBytes);
}

int main(int argc, char *argv[])
{
    if (argc == 3 && std::strcmp(argv[1], "--hold-write-lock") == 0)
        return holdWriteLock(argv[2]);
    QCoreApplication app(argc, argv);
    tst_Hardening test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_hardening.moc"
