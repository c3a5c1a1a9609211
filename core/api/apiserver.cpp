// The local HTTP API over the history (ARCHITECTURE §5.7).
#include "core/api/apiserver.h"

#include "core/api/metrics.h"
#include "core/base/logging.h"
#include "core/delivery/deliverer.h"
#include "core/endpoint/route.h"
#include "core/http/httpclient.h"
#include "core/model/filterparameters.h"
#include "core/receiver/receiver.h"
#include "core/store/commitwatcher.h"
#include "core/store/logwriter.h"
#include "core/store/store.h"

#include <QElapsedTimer>
#include <QFile>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QSemaphore>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>
#include <QUrlQuery>
#include <map>

namespace Hooktrail {

namespace {

using Code = QHttpServerResponder::StatusCode;
using Method = QHttpServerRequest::Method;

constexpr qint64 DefaultWaitMs = 30000;
constexpr qint64 MaxWaitMs = 120000;
constexpr int KeepAliveMs = 15000;
constexpr int StreamBatch = 100; // rows read per look for one stream
constexpr int MaxPageSize = 1000;
constexpr int DefaultPageSize = 100;
constexpr int DefaultReplayTimeoutMs = 10000;

// What is wrong with a call, as its answer says it.
struct Problem
{
    Code status;
    QByteArray code;
    QString message;
    QString parameter;
};

QByteArray problemBody(const Problem &problem)
{
    QJsonObject json { { QStringLiteral("error"), QString::fromLatin1(problem.code) },
        { QStringLiteral("message"), problem.message } };
    if (!problem.parameter.isEmpty())
        json.insert(QStringLiteral("parameter"), problem.parameter);
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

// Every answer of the API carries these: it is data for programs, never a page to render.
const QList<QPair<QByteArray, QByteArray>> &commonHeaders()
{
    static const QList<QPair<QByteArray, QByteArray>> headers {
        { "Cache-Control", "no-store" },
        { "X-Content-Type-Options", "nosniff" },
    };
    return headers;
}

QHttpServerResponse problemResponse(const Problem &problem)
{
    QHttpServerResponse response("application/json", problemBody(problem), problem.status);
    if (problem.status == Code::Unauthorized)
        response.addHeader("WWW-Authenticate", "Bearer realm=\"hooktrail\"");
    return response;
}

// A whole answer through a responder (Qt 6.4's header lists are initializer lists).
void send(QHttpServerResponder &responder, Code status, const QByteArray &contentType,
    const QByteArray &body, const QList<QPair<QByteArray, QByteArray>> &extra = {})
{
    responder.writeStatusLine(status);
    for (const auto &[name, value] : commonHeaders())
        responder.writeHeader(name, value);
    for (const auto &[name, value] : extra)
        responder.writeHeader(name, value);
    if (!contentType.isEmpty())
        responder.writeHeader("Content-Type", contentType);
    responder.writeHeader("Content-Length", QByteArray::number(body.size()));
    responder.writeBody(body);
}

void writeProblem(QHttpServerResponder &responder, const Problem &problem)
{
    QList<QPair<QByteArray, QByteArray>> extra;
    if (problem.status == Code::Unauthorized)
        extra.append(
            qMakePair(QByteArray("WWW-Authenticate"), QByteArray("Bearer realm=\"hooktrail\"")));
    send(responder, problem.status, "application/json", problemBody(problem), extra);
}

void writeJson(QHttpServerResponder &responder, const QJsonObject &json, Code status = Code::Ok)
{
    send(responder, status, "application/json", QJsonDocument(json).toJson(QJsonDocument::Compact));
}

Problem badParameter(const QString &name, const QString &message)
{
    return { Code::BadRequest, "bad_parameter", message, name };
}

Problem databaseProblem(const QString &error)
{
    qCWarning(lcApi) << "database error:" << error;
    return { Code::InternalServerError, "database_error",
        QStringLiteral("the database could not answer: %1").arg(error), {} };
}

Problem notFound(qint64 id)
{
    return { Code::NotFound, "not_found", QStringLiteral("no request with id %1").arg(id), {} };
}

// The JSON Lines fields of a request, without its body: what lists and streams carry.
QJsonObject summaryJson(const LoggedRequest &request)
{
    QJsonObject json = request.toJson();
    json.remove(QStringLiteral("body"));
    json.remove(QStringLiteral("bodyEncoding"));
    return json;
}

std::optional<QString> queryValue(const QUrlQuery &query, const QString &name)
{
    if (!query.hasQueryItem(name))
        return std::nullopt;
    return query.queryItemValue(name, QUrl::FullyDecoded);
}

// A call's query parameters: only those named are allowed (a misspelt filter would otherwise
// match everything), and the filter's are read as the command line reads its options.
std::optional<Problem> readParameters(
    const QUrlQuery &query, const QStringList &allowed, RequestFilter *filter)
{
    for (const auto &[name, value] : query.queryItems(QUrl::FullyDecoded)) {
        Q_UNUSED(value)
        if (!allowed.contains(name) && !(filter && FilterParameters::names().contains(name)))
            return badParameter(name, QStringLiteral("unknown parameter %1").arg(name));
    }
    if (!filter)
        return std::nullopt;
    const std::optional<FilterParameters::Problem> problem
        = FilterParameters::read([&query](const QString &name) { return queryValue(query, name); },
            [](const QString &name) { return name; }, *filter);
    if (problem)
        return badParameter(problem->parameter, problem->message);
    return std::nullopt;
}

std::optional<qint64> positiveId(const QString &text)
{
    bool ok = false;
    const qint64 id = text.toLongLong(&ok);
    if (!ok || id < 1 || text.startsWith(u'+'))
        return std::nullopt;
    return id;
}

// A content type as the sender gave it, when it is safe to repeat in a header.
QByteArray safeContentType(const QByteArray &contentType)
{
    if (contentType.isEmpty() || contentType.size() > 200)
        return "application/octet-stream";
    for (const char c : contentType) {
        if (uchar(c) < 0x20 || uchar(c) >= 0x7f)
            return "application/octet-stream";
    }
    return contentType;
}

// In front of Qt HttpServer, which would buffer any body: reads along (peeks) what arrives on
// a connection and closes it, answered, once a head or a body is over its bound. A body must
// come with Content-Length.
class RequestGuard final : public QObject
{
public:
    RequestGuard(QTcpSocket *socket, const ApiOptions &options)
        : QObject(socket)
        , m_socket(socket)
        , m_maxHead(options.maxHeadBytes)
        , m_maxBody(options.maxBodyBytes)
    {
        // Connected before the server's own slot, so it runs first.
        connect(socket, &QTcpSocket::readyRead, this, &RequestGuard::onReadyRead);
    }

private:
    void onReadyRead()
    {
        if (m_refused) {
            m_socket->readAll();
            return;
        }
        // The server reads all there is each time, so what is unread now is what is new.
        const QByteArray fresh = m_socket->peek(m_socket->bytesAvailable());
        qsizetype at = 0;
        while (at < fresh.size()) {
            if (m_bodyLeft > 0) {
                const qint64 taken = std::min<qint64>(m_bodyLeft, fresh.size() - at);
                m_bodyLeft -= taken;
                at += qsizetype(taken);
                continue;
            }
            const qsizetype end = fresh.indexOf("\r\n\r\n", at);
            const qsizetype headPart = (end < 0 ? fresh.size() : end + 4) - at;
            if (m_head.size() + headPart > m_maxHead)
                return refuse(Code::RequestHeaderFieldsTooLarge, "header_too_large",
                    QStringLiteral("the request's head is over %1 bytes").arg(m_maxHead));
            m_head += fresh.mid(at, headPart);
            at += headPart;
            if (!m_head.endsWith("\r\n\r\n")) {
                // The terminator may straddle two reads.
                const qsizetype split = m_head.indexOf("\r\n\r\n");
                if (split < 0)
                    break;
            }
            if (!startBody())
                return;
        }
    }

    // The head is complete: how much body follows it.
    bool startBody()
    {
        qint64 length = 0;
        for (const QByteArray &line : m_head.split('\n')) {
            const QByteArray trimmed = line.trimmed();
            const qsizetype colon = trimmed.indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArray name = trimmed.left(colon).trimmed().toLower();
            const QByteArray value = trimmed.mid(colon + 1).trimmed();
            if (name == "transfer-encoding") {
                refuse(Code::LengthRequired, "length_required",
                    QStringLiteral("a body needs Content-Length"));
                return false;
            }
            if (name == "content-length") {
                bool ok = false;
                length = value.toLongLong(&ok);
                if (!ok || length < 0) {
                    refuse(Code::BadRequest, "bad_request",
                        QStringLiteral("Content-Length is not a number"));
                    return false;
                }
            }
        }
        if (length > m_maxBody) {
            refuse(Code::PayloadTooLarge, "payload_too_large",
                QStringLiteral("the body is over %1 bytes").arg(m_maxBody));
            return false;
        }
        m_head.clear();
        m_bodyLeft = length;
        return true;
    }

    void refuse(Code status, const QByteArray &code, const QString &message)
    {
        m_refused = true;
        const QByteArray body = problemBody({ status, code, message, {} });
        QByteArray answer = "HTTP/1.1 " + QByteArray::number(int(status)) + ' '
            + (status == Code::PayloadTooLarge       ? "Payload Too Large"
                    : status == Code::LengthRequired ? "Length Required"
                    : status == Code::BadRequest     ? "Bad Request"
                                                     : "Request Header Fields Too Large")
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
        m_socket->readAll(); // nothing of it reaches the server
        m_socket->write(answer);
        m_socket->disconnectFromHost();
    }

    QTcpSocket *m_socket;
    qint64 m_maxHead;
    qint64 m_maxBody;
    QByteArray m_head;
    qint64 m_bodyLeft = 0;
    bool m_refused = false;
};

// The listening socket: a guard on each connection, and a cap on how many are open.
class ApiTcpServer final : public QTcpServer
{
public:
    ApiTcpServer(const ApiOptions &options, QObject *parent)
        : QTcpServer(parent), m_options(options)
    { }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new QTcpSocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        if (m_open >= m_options.maxConnections) {
            const QByteArray body = problemBody({ Code::ServiceUnavailable, "overloaded",
                QStringLiteral("too many connections to the API"), {} });
            socket->write("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                          "Content-Length: "
                + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
            socket->disconnectFromHost();
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            return;
        }
        ++m_open;
        connect(socket, &QObject::destroyed, this, [this] { --m_open; });
        new RequestGuard(socket, m_options);
        addPendingConnection(socket);
    }

private:
    ApiOptions m_options;
    int m_open = 0;
};

} // namespace

class ApiServerPrivate final
{
public:
    enum class Access { Read, Write };

    ApiServerPrivate(ApiServer *owner, ApiServer::StoreFactory storeFactory, ApiSources given)
        : q(owner), factory(std::move(storeFactory)), sources(given)
    { }

    // A parked call: a long poll or an event stream, answered as rows are committed.
    struct Parked
    {
        QPointer<QTcpSocket> socket;
        std::unique_ptr<QHttpServerResponder> responder;
        RequestFilter filter; // afterId: the last id answered or sent
        bool stream = false;
        QTimer *timer = nullptr; // the long poll's deadline; the stream's keep-alive
    };

    Result<quint16> listen(const ApiOptions &given);
    void addRoutes();
    std::optional<Problem> authorize(const QHttpServerRequest &request, Access access);

    QHttpServerResponse webhooks();
    QHttpServerResponse requests(const QHttpServerRequest &request);
    QHttpServerResponse oneRequest(const QString &idText, bool bodyOnly);
    QHttpServerResponse metrics();
    QHttpServerResponse openApi();
    void park(const QHttpServerRequest &request, QHttpServerResponder &&responder, bool stream);
    void replay(
        const QString &idText, const QHttpServerRequest &request, QHttpServerResponder &&responder);

    void scheduleLook();
    void look(); // every parked call: has a matching row been committed?
    bool lookFor(quint64 key, Parked &parked); // false: the call is over
    void unpark(quint64 key);

    ApiServer *q;
    ApiServer::StoreFactory factory;
    ApiSources sources;
    ApiOptions options;
    std::unique_ptr<Store> store;
    std::unique_ptr<QHttpServer> http;
    CommitWatcher *watcher = nullptr;
    QTimer *lookTimer = nullptr;
    std::map<quint64, Parked> parked;
    int replays = 0;
    quint64 nextKey = 1;
};

ApiServer::ApiServer(StoreFactory factory, ApiSources sources, QObject *parent)
    : QObject(parent), d(std::make_unique<ApiServerPrivate>(this, std::move(factory), sources))
{ }

ApiServer::~ApiServer()
{
    d->parked.clear();
}

int ApiServer::openStreams() const
{
    return int(d->parked.size());
}

Result<quint16> ApiServer::listen(const ApiOptions &options)
{
    return d->listen(options);
}

Result<quint16> ApiServerPrivate::listen(const ApiOptions &given)
{
    options = given;
    Result<std::unique_ptr<Store>> opened = factory();
    if (!opened)
        return Result<quint16>::failure(opened.error());
    store = std::move(opened).value();
    http = std::make_unique<QHttpServer>(q);
    auto *tcp = new ApiTcpServer(options, q);
    if (!tcp->listen(options.address, options.port)) {
        const QString error = tcp->errorString();
        delete tcp;
        return Result<quint16>::failure(QStringLiteral("the API cannot listen on %1:%2: %3")
                                            .arg(options.address.toString())
                                            .arg(options.port)
                                            .arg(error));
    }
    http->bind(tcp);
    addRoutes();

    lookTimer = new QTimer(q);
    lookTimer->setSingleShot(true);
    lookTimer->setInterval(0);
    QObject::connect(lookTimer, &QTimer::timeout, q, [this] { look(); });
    // This process's commits, the moment the writer makes them; other processes' through the
    // database's own signs.
    if (sources.writer)
        QObject::connect(sources.writer, &LogWriter::committed, q, [this] { scheduleLook(); });
    watcher = new CommitWatcher(*store, q);
    QObject::connect(watcher, &CommitWatcher::changed, q, [this] { scheduleLook(); });
    qCInfo(lcApi) << "the API listens on" << options.address.toString() << tcp->serverPort();
    return tcp->serverPort();
}

std::optional<Problem> ApiServerPrivate::authorize(const QHttpServerRequest &request, Access access)
{
    QByteArray credentials;
    for (const auto &[name, value] : request.headers()) {
        if (name.compare("authorization", Qt::CaseInsensitive) == 0)
            credentials = value.trimmed();
    }
    const Problem unauthorized { Code::Unauthorized, "unauthorized",
        QStringLiteral("this call needs Authorization: Bearer and a token of Hooktrail's API "
                       "(hooktrail token add)"),
        {} };
    if (credentials.size() < 8 || credentials.left(7).compare("bearer ", Qt::CaseInsensitive) != 0)
        return unauthorized;
    const QByteArray secret = credentials.mid(7).trimmed();
    if (!secret.startsWith(ApiKeys::TokenMark))
        return unauthorized; // an ingest key never opens the API
    const Result<std::optional<ApiToken>> token = store->tokens().authenticate(secret);
    if (!token)
        return databaseProblem(token.error());
    if (!token->has_value() || (*token)->revoked)
        return Problem { Code::Unauthorized, "unauthorized",
            QStringLiteral("the token is unknown or revoked"), {} };
    if (access == Access::Write && (*token)->readOnly)
        return Problem { Code::Forbidden, "forbidden",
            QStringLiteral("the token %1 is read-only").arg((*token)->prefix), {} };
    return std::nullopt;
}

void ApiServerPrivate::addRoutes()
{
    // A handler behind the token check, its answer marked as data.
    const auto guarded = [this](Access access, auto handler) {
        return [this, access, handler](const QHttpServerRequest &request) {
            if (const std::optional<Problem> problem = authorize(request, access))
                return problemResponse(*problem);
            return handler(request);
        };
    };
    http->afterRequest([](QHttpServerResponse &&response) {
        for (const auto &[name, value] : commonHeaders())
            response.setHeader(name, value);
        return std::move(response);
    });
    http->route(QStringLiteral("/api/v1/webhooks"), Method::Get,
        guarded(Access::Read, [this](const QHttpServerRequest &request) {
            if (const auto problem = readParameters(request.query(), {}, nullptr))
                return problemResponse(*problem);
            return webhooks();
        }));
    http->route(QStringLiteral("/api/v1/requests"), Method::Get,
        guarded(
            Access::Read, [this](const QHttpServerRequest &request) { return requests(request); }));
    // Before /requests/<id>: the router takes the first rule that matches.
    http->route(QStringLiteral("/api/v1/requests/wait"), Method::Get,
        [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            park(request, std::move(responder), false);
        });
    http->route(QStringLiteral("/api/v1/requests/<arg>"), Method::Get,
        [this](const QString &id, const QHttpServerRequest &request) {
            if (const std::optional<Problem> problem = authorize(request, Access::Read))
                return problemResponse(*problem);
            if (const auto problem = readParameters(request.query(), {}, nullptr))
                return problemResponse(*problem);
            return oneRequest(id, false);
        });
    http->route(QStringLiteral("/api/v1/requests/<arg>/body"), Method::Get,
        [this](const QString &id, const QHttpServerRequest &request) {
            if (const std::optional<Problem> problem = authorize(request, Access::Read))
                return problemResponse(*problem);
            if (const auto problem = readParameters(request.query(), {}, nullptr))
                return problemResponse(*problem);
            return oneRequest(id, true);
        });
    http->route(QStringLiteral("/api/v1/requests/<arg>/replay"), Method::Post,
        [this](const QString &id, const QHttpServerRequest &request,
            QHttpServerResponder &&responder) { replay(id, request, std::move(responder)); });
    http->route(QStringLiteral("/api/v1/events"), Method::Get,
        [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            park(request, std::move(responder), true);
        });
    http->route(QStringLiteral("/api/v1/openapi.json"), Method::Get,
        guarded(Access::Read, [this](const QHttpServerRequest &) { return openApi(); }));
    http->route(QStringLiteral("/metrics"), Method::Get, [this](const QHttpServerRequest &request) {
        if (options.metricsNeedToken) {
            if (const std::optional<Problem> problem = authorize(request, Access::Read))
                return problemResponse(*problem);
        }
        return metrics();
    });
}

QHttpServerResponse ApiServerPrivate::webhooks()
{
    const Result<QList<Webhook>> found = store->config().webhooks();
    if (!found)
        return problemResponse(databaseProblem(found.error()));
    QJsonArray list;
    for (const Webhook &webhook : *found) {
        QJsonObject json = webhook.toJson(true); // never a secret: those are not in it
        json.insert(QStringLiteral("endpoint"),
            options.endpointBase + QString::fromLatin1(Endpoint::RoutePrefix) + webhook.id);
        list.append(json);
    }
    return QHttpServerResponse(QJsonObject { { QStringLiteral("webhooks"), list } });
}

QHttpServerResponse ApiServerPrivate::requests(const QHttpServerRequest &request)
{
    const QUrlQuery query = request.query();
    RequestFilter filter;
    if (const auto problem
        = readParameters(query, { QStringLiteral("limit"), QStringLiteral("before") }, &filter))
        return problemResponse(*problem);
    filter.limit = DefaultPageSize;
    if (const std::optional<QString> limit = queryValue(query, QStringLiteral("limit"))) {
        bool ok = false;
        filter.limit = limit->toInt(&ok);
        if (!ok || filter.limit < 1 || filter.limit > MaxPageSize)
            return problemResponse(badParameter(QStringLiteral("limit"),
                QStringLiteral("limit takes a whole number from 1 to %1").arg(MaxPageSize)));
    }
    if (const std::optional<QString> before = queryValue(query, QStringLiteral("before"))) {
        const std::optional<qint64> id = positiveId(*before);
        if (!id)
            return problemResponse(badParameter(QStringLiteral("before"),
                QStringLiteral("before takes the `next` of the previous page")));
        filter.beforeId = *id;
    }
    const int wanted = filter.limit;
    filter.limit = wanted + 1; // one more tells whether there is a next page
    const Result<QList<LoggedRequest>> page = store->queries().requestSummaries(filter);
    if (!page)
        return problemResponse(databaseProblem(page.error()));
    QJsonArray list;
    for (qsizetype i = 0; i < std::min<qsizetype>(page->size(), wanted); ++i)
        list.append(summaryJson(page->at(i)));
    const QJsonValue next = page->size() > wanted
        ? QJsonValue(QString::number(page->at(wanted - 1).id))
        : QJsonValue();
    return QHttpServerResponse(
        QJsonObject { { QStringLiteral("requests"), list }, { QStringLiteral("next"), next } });
}

QHttpServerResponse ApiServerPrivate::oneRequest(const QString &idText, bool bodyOnly)
{
    const std::optional<qint64> id = positiveId(idText);
    if (!id)
        return problemResponse(badParameter(
            QStringLiteral("id"), QStringLiteral("a request's id is a positive whole number")));
    const Result<std::optional<LoggedRequest>> found = store->queries().request(*id);
    if (!found)
        return problemResponse(databaseProblem(found.error()));
    if (!found->has_value())
        return problemResponse(notFound(*id));
    const LoggedRequest &logged = **found;
    if (!bodyOnly)
        return QHttpServerResponse(logged.toJson());
    // The sender's bytes as they came; never rendered where the API is answered.
    QHttpServerResponse response(safeContentType(logged.contentType), logged.body);
    response.addHeader("Content-Disposition", "attachment");
    response.addHeader("Content-Security-Policy", "sandbox");
    response.addHeader("X-Hooktrail-Body-Truncated", logged.bodyTruncated ? "true" : "false");
    return response;
}

QHttpServerResponse ApiServerPrivate::openApi()
{
    QFile file(QStringLiteral(":/hooktrail/api/openapi.json"));
    if (!file.open(QIODevice::ReadOnly))
        return problemResponse({ Code::InternalServerError, "missing_document",
            QStringLiteral("the OpenAPI document is not built in"), {} });
    return QHttpServerResponse("application/json", file.readAll());
}

QHttpServerResponse ApiServerPrivate::metrics()
{
    MetricsFigures figures;
    if (sources.writer) {
        figures.log = sources.writer->statistics().snapshot();
        figures.writerQueue = sources.writer->queuedCount();
    }
    if (sources.receiver)
        figures.openConnections = sources.receiver->connections.loadRelaxed();
    if (sources.deliverer) {
        const DeliveryCounters &counters = sources.deliverer->counters();
        figures.delivered = counters.delivered.loadRelaxed();
        figures.deliveryRetries = counters.retrying.loadRelaxed();
        figures.deliveryFailures = counters.failed.loadRelaxed();
    }
    figures.apiStreams = qint64(parked.size());
    if (const Result<QList<Webhook>> webhooks = store->config().webhooks(); webhooks) {
        for (const Webhook &webhook : *webhooks)
            figures.webhookNames.insert(webhook.id, webhook.name);
    }
    if (const Result<qint64> bytes = store->databaseBytes(); bytes)
        figures.databaseBytes = *bytes;
    const Result<qint64> newest = store->queries().newestRequestId();
    const Result<qint64> indexed = store->search().indexedUpTo();
    if (newest && indexed)
        figures.searchBacklog = std::max<qint64>(0, *newest - *indexed);
    if (const Result<qint64> unfinished = store->deliveries().unfinishedCount(); unfinished)
        figures.unfinishedDeliveries = *unfinished;
    return QHttpServerResponse(Metrics::ContentType, Metrics::render(figures));
}

void ApiServerPrivate::park(
    const QHttpServerRequest &request, QHttpServerResponder &&responder, bool stream)
{
    if (const std::optional<Problem> problem = authorize(request, Access::Read))
        return writeProblem(responder, *problem);
    const QUrlQuery query = request.query();
    Parked call;
    call.stream = stream;
    QStringList allowed { QStringLiteral("after") };
    if (!stream)
        allowed.append(QStringLiteral("timeout"));
    if (const auto problem = readParameters(query, allowed, &call.filter))
        return writeProblem(responder, *problem);
    qint64 timeoutMs = DefaultWaitMs;
    if (const std::optional<QString> timeout = queryValue(query, QStringLiteral("timeout"))) {
        const std::optional<qint64> ms = FilterParameters::parseDurationMs(*timeout);
        if (!ms || *ms > MaxWaitMs)
            return writeProblem(responder,
                badParameter(QStringLiteral("timeout"),
                    QStringLiteral("timeout takes a duration up to 120s, such as 500ms or 30s")));
        timeoutMs = *ms;
    }
    // Where to start: after the id given (or, for a stream, the last event its client saw);
    // by default after the newest row now, so only what comes next is answered.
    std::optional<QString> after = queryValue(query, QStringLiteral("after"));
    for (const auto &[name, value] : request.headers()) {
        if (stream && name.compare("last-event-id", Qt::CaseInsensitive) == 0)
            after = QString::fromLatin1(value.trimmed());
    }
    if (after) {
        bool ok = false;
        call.filter.afterId = after->toLongLong(&ok);
        if (!ok || call.filter.afterId < 0)
            return writeProblem(responder,
                badParameter(QStringLiteral("after"),
                    QStringLiteral("after takes a request id (0 for the oldest)")));
    } else {
        const Result<qint64> newest = store->queries().newestRequestId();
        if (!newest)
            return writeProblem(responder, databaseProblem(newest.error()));
        call.filter.afterId = *newest;
    }
    if (int(parked.size()) + replays >= options.maxStreams)
        return writeProblem(responder,
            { Code::ServiceUnavailable, "too_many_streams",
                QStringLiteral("%1 long polls and streams are open already; try again later")
                    .arg(options.maxStreams),
                {} });
    call.socket = responder.socket();
    call.responder = std::make_unique<QHttpServerResponder>(std::move(responder));
    const quint64 key = nextKey++;
    QObject::connect(call.socket, &QTcpSocket::disconnected, q, [this, key] { unpark(key); });
    call.timer = new QTimer(q);
    if (stream) {
        // No length: the stream's body lasts until one side closes it.
        call.responder->writeStatusLine(Code::Ok);
        for (const auto &[name, value] : commonHeaders())
            call.responder->writeHeader(name, value);
        call.responder->writeHeader("Content-Type", "text/event-stream");
        call.responder->writeHeader("X-Accel-Buffering", "no");
        call.responder->writeBody(": hooktrail events\n\n");
        QObject::connect(call.timer, &QTimer::timeout, q, [this, key] {
            if (const auto found = parked.find(key); found != parked.end())
                found->second.responder->writeBody(": keep-alive\n\n");
        });
        call.timer->start(KeepAliveMs);
    } else {
        call.timer->setSingleShot(true);
        call.timer->setTimerType(Qt::PreciseTimer); // a client's timeout is not a hint
        QObject::connect(call.timer, &QTimer::timeout, q, [this, key] {
            if (const auto found = parked.find(key); found != parked.end()) {
                QHttpServerResponder &waiting = *found->second.responder;
                waiting.writeStatusLine(Code::NoContent);
                for (const auto &[name, value] : commonHeaders())
                    waiting.writeHeader(name, value);
                waiting.writeBody(QByteArray());
                unpark(key);
            }
        });
        call.timer->start(int(timeoutMs));
    }
    auto [placed, inserted] = parked.emplace(key, std::move(call));
    Q_UNUSED(inserted)
    // What is committed already may answer at once.
    if (!lookFor(key, placed->second))
        unpark(key);
}

void ApiServerPrivate::scheduleLook()
{
    if (lookTimer && !lookTimer->isActive() && !parked.empty())
        lookTimer->start();
}

void ApiServerPrivate::look()
{
    QList<quint64> over;
    for (auto &[key, call] : parked) {
        if (!lookFor(key, call))
            over.append(key);
    }
    for (const quint64 key : std::as_const(over))
        unpark(key);
}

bool ApiServerPrivate::lookFor(quint64 key, Parked &call)
{
    Q_UNUSED(key)
    if (!call.socket || call.socket->state() != QAbstractSocket::ConnectedState)
        return false;
    RequestFilter filter = call.filter;
    filter.oldestFirst = true;
    filter.limit = call.stream ? StreamBatch : 1;
    const Result<QList<LoggedRequest>> rows = call.stream
        ? store->queries().requestSummaries(filter)
        : store->queries().requests(filter);
    if (!rows) {
        qCWarning(lcApi) << "a wait could not read the log:" << rows.error();
        return true; // the next commit looks again
    }
    if (rows->isEmpty())
        return true;
    if (!call.stream) {
        writeJson(*call.responder, rows->first().toJson());
        return false;
    }
    QByteArray events;
    for (const LoggedRequest &row : *rows) {
        events += "id: " + QByteArray::number(row.id) + "\nevent: request\ndata: "
            + QJsonDocument(summaryJson(row)).toJson(QJsonDocument::Compact) + "\n\n";
        call.filter.afterId = row.id;
    }
    call.responder->writeBody(events);
    if (rows->size() == filter.limit)
        scheduleLook(); // more are waiting
    return true;
}

void ApiServerPrivate::unpark(quint64 key)
{
    const auto found = parked.find(key);
    if (found == parked.end())
        return;
    Parked call = std::move(found->second);
    parked.erase(found);
    delete call.timer;
    if (call.stream && call.socket)
        call.socket->disconnectFromHost(); // the stream's end
}

void ApiServerPrivate::replay(
    const QString &idText, const QHttpServerRequest &request, QHttpServerResponder &&responder)
{
    if (const std::optional<Problem> problem = authorize(request, Access::Write))
        return writeProblem(responder, *problem);
    if (const auto problem = readParameters(request.query(), {}, nullptr))
        return writeProblem(responder, *problem);
    const std::optional<qint64> id = positiveId(idText);
    if (!id)
        return writeProblem(responder,
            badParameter(
                QStringLiteral("id"), QStringLiteral("a request's id is a positive whole number")));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return writeProblem(responder,
            { Code::UnsupportedMediaType, "unsupported_media_type",
                QStringLiteral("the body must be a JSON object such as {\"url\": \"http://…\"}"),
                {} });
    const QJsonObject body = document.object();
    const QUrl url(body.value(QStringLiteral("url")).toString(), QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty()
        || (url.scheme() != QStringLiteral("http") && url.scheme() != QStringLiteral("https")))
        return writeProblem(responder,
            badParameter(
                QStringLiteral("url"), QStringLiteral("url takes an http:// or https:// address")));
    int timeoutMs = DefaultReplayTimeoutMs;
    if (body.contains(QStringLiteral("timeoutMs"))) {
        timeoutMs = body.value(QStringLiteral("timeoutMs")).toInt(-1);
        if (timeoutMs < 100 || timeoutMs > 60000)
            return writeProblem(responder,
                badParameter(
                    QStringLiteral("timeoutMs"), QStringLiteral("timeoutMs takes 100 to 60000")));
    }
    const Result<std::optional<LoggedRequest>> found = store->queries().request(*id);
    if (!found)
        return writeProblem(responder, databaseProblem(found.error()));
    if (!found->has_value())
        return writeProblem(responder, notFound(*id));
    if (int(parked.size()) + replays >= options.maxStreams)
        return writeProblem(responder,
            { Code::ServiceUnavailable, "too_many_streams",
                QStringLiteral("too many calls are waiting; try again later"), {} });

    // What was logged, as it was logged: its headers but those the client sets and those
    // the log masked (a key is never sent on).
    OutgoingRequest outgoing;
    outgoing.url = url;
    outgoing.method = (*found)->method;
    for (const auto &[name, value] : (*found)->headers) {
        if (!HttpClient::isClientManaged(name) && value != Redaction::Mask)
            outgoing.headers.append({ name, value });
    }
    outgoing.body = (*found)->body;
    if (const QString problem = HttpClient::problem(outgoing); !problem.isEmpty())
        return writeProblem(responder, badParameter(QStringLiteral("url"), problem));
    auto *client = new HttpClient(q);
    client->setTimeout(timeoutMs);
    ++replays;
    auto held = std::make_shared<QHttpServerResponder>(std::move(responder));
    QPointer<QTcpSocket> socket = held->socket();
    QElapsedTimer clock;
    clock.start();
    QObject::connect(client, &HttpClient::finished, q,
        [this, client, held, socket, clock](const Result<HttpResponse> &answer) {
            --replays;
            client->deleteLater();
            if (!socket || socket->state() != QAbstractSocket::ConnectedState)
                return;
            if (!answer)
                return writeProblem(
                    *held, { Code::BadGateway, "replay_failed", answer.error(), {} });
            QJsonArray headers;
            for (const auto &[name, value] : answer->headers)
                headers.append(QJsonArray { receivedText(name), receivedText(value) });
            const bool utf8 = isUtf8(answer->body);
            writeJson(*held,
                QJsonObject { { QStringLiteral("status"), answer->status },
                    { QStringLiteral("headers"), headers },
                    { QStringLiteral("body"),
                        utf8 ? QString::fromUtf8(answer->body)
                             : QString::fromLatin1(answer->body.toBase64()) },
                    { QStringLiteral("bodyEncoding"),
                        utf8 ? QStringLiteral("utf8") : QStringLiteral("base64") },
                    { QStringLiteral("durationMicros"), clock.nsecsElapsed() / 1000 } });
        });
    client->send(outgoing);
}

// ApiHost

ApiHost::ApiHost(ApiServer::StoreFactory factory, ApiSources sources)
    : m_factory(std::move(factory)), m_sources(sources)
{ }

ApiHost::~ApiHost()
{
    stop();
}

bool ApiHost::isRunning() const
{
    return m_thread && m_thread->isRunning();
}

Result<quint16> ApiHost::start(const ApiOptions &options)
{
    stop();
    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(QStringLiteral("hooktrail-api"));
    m_thread->start();
    Result<quint16> outcome = Result<quint16>::failure(QStringLiteral("the API did not start"));
    auto *anchor = new QObject;
    anchor->moveToThread(m_thread.get());
    QMetaObject::invokeMethod(
        anchor,
        [&] {
            m_server = new ApiServer(m_factory, m_sources);
            outcome = m_server->listen(options);
            if (!outcome) {
                delete m_server;
                m_server = nullptr;
            }
        },
        Qt::BlockingQueuedConnection);
    anchor->deleteLater();
    if (!outcome) {
        m_thread->quit();
        m_thread->wait();
        m_thread.reset();
        return outcome;
    }
    m_port = *outcome;
    return outcome;
}

void ApiHost::stop()
{
    if (!m_thread)
        return;
    if (m_server) {
        ApiServer *server = m_server;
        m_server = nullptr;
        QMetaObject::invokeMethod(
            server, [server] { delete server; }, Qt::BlockingQueuedConnection);
    }
    m_thread->quit();
    m_thread->wait();
    m_thread.reset();
    m_port = 0;
}

} // namespace Hooktrail
