// What a delivery sends and how its answer is read (ARCHITECTURE §5.5).
#include "core/delivery/forwarding.h"

#include "core/endpoint/keyrule.h"
#include "core/endpoint/query.h"
#include "core/endpoint/route.h"

namespace Hooktrail::Forwarding {

namespace {

// The destination's URL with what followed the endpoint's route and the query appended.
QUrl targetUrl(const Destination &destination, const LoggedRequest &request)
{
    QUrl url(destination.url);
    if (!destination.forwardPath)
        return url;
    // The route is /v1/data/webhook/{uuid}; anything after the id goes on after the URL's path.
    const QByteArrayView path(request.path);
    const qsizetype routeLength = qsizetype(qstrlen(Endpoint::RoutePrefix)) + 36;
    if (path.size() > routeLength) {
        QByteArray rest = path.sliced(routeLength).toByteArray();
        QByteArray base = url.path(QUrl::FullyEncoded).toUtf8();
        if (base.endsWith('/') && rest.startsWith('/'))
            base.chop(1);
        url.setPath(QString::fromUtf8(base + rest), QUrl::TolerantMode);
    }
    // The API key opened Hooktrail's endpoint; it is not the destination's to see.
    QByteArray query;
    for (const Endpoint::QueryField &field : Endpoint::queryFields(request.query)) {
        if (field.raw.isEmpty() || Endpoint::isKeyParameter(field.name()))
            continue;
        if (!query.isEmpty())
            query += '&';
        query += field.raw;
    }
    const QByteArray own = url.query(QUrl::FullyEncoded).toUtf8();
    if (!own.isEmpty() && !query.isEmpty())
        query = own + '&' + query;
    else if (query.isEmpty())
        query = own;
    if (!query.isEmpty())
        url.setQuery(QString::fromUtf8(query), QUrl::TolerantMode);
    return url;
}

bool setByDestination(QByteArrayView name, const Destination &destination)
{
    for (const auto &[added, value] : destination.headers) {
        if (name.compare(added.toLatin1(), Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

void addOwnHeaders(HeaderList &headers, const Destination &destination, qint64 requestId,
    int attempt, const QString &forwardedBy)
{
    for (const auto &[name, value] : destination.headers)
        headers.append({ name.toLatin1(), value.toUtf8() });
    headers.append({ QByteArray(RequestIdHeader), QByteArray::number(requestId) });
    headers.append({ QByteArray(AttemptHeader), QByteArray::number(attempt) });
    headers.append({ QByteArray(ForwardedByHeader), forwardedBy.toUtf8() });
}

} // namespace

OutgoingRequest deliveryRequest(const DeliveryJob &job, const QString &forwardedBy)
{
    OutgoingRequest out;
    out.url = targetUrl(job.destination, job.request);
    out.method = job.request.method;
    out.body = job.request.body;
    for (const auto &[name, value] : job.request.headers) {
        if (isHopByHopHeader(name) || HttpClient::isClientManaged(name)
            || Redaction::isSecretHeader(name) || Endpoint::isKeyHeader(name)
            || setByDestination(name, job.destination))
            continue;
        out.headers.append({ name, value });
    }
    addOwnHeaders(out.headers, job.destination, job.request.id, job.attempt, forwardedBy);
    return out;
}

OutgoingRequest testRequest(const Destination &destination, const QString &forwardedBy)
{
    OutgoingRequest out;
    out.url = QUrl(destination.url);
    out.method = "POST";
    out.body = R"({"hooktrail":"test delivery","requestId":0})";
    out.headers.append({ QByteArray("Content-Type"), QByteArray("application/json") });
    addOwnHeaders(out.headers, destination, 0, 1, forwardedBy);
    return out;
}

Verdict verdict(int status)
{
    if (status >= 200 && status < 300)
        return Verdict::Delivered;
    if (status == 0 || status == 408 || status == 429 || (status >= 500 && status != 508))
        return Verdict::Retry;
    return Verdict::Fail;
}

} // namespace Hooktrail::Forwarding
