// For the request parser's tests: small limits, and the parser driven the way a connection
// drives it, with what a run of requests gave and how it ended.
#pragma once

#include "core/http/httprequestparser.h"

#include <QByteArray>
#include <QList>

namespace Hooktrail::TestSupport {

using Status = HttpRequestParser::Status;
using Limits = HttpRequestParser::Limits;
using namespace Qt::StringLiterals;

// Small limits keep the limit tests readable and fast.
inline constexpr qsizetype kMaxHeaderBytes = 1024;
inline constexpr qint64 kMaxBodyBytes = 4096;

inline Limits testLimits()
{
    Limits limits;
    limits.maxHeaderBytes = kMaxHeaderBytes;
    limits.maxBodyBytes = kMaxBodyBytes;
    return limits;
}

inline QByteArray statusName(Status status)
{
    switch (status) {
    case Status::NeedMore:
        return "NeedMore"_ba;
    case Status::HeadersComplete:
        return "HeadersComplete"_ba;
    case Status::Complete:
        return "Complete"_ba;
    case Status::Error:
        return "Error"_ba;
    }
    return "?"_ba;
}

// One line per request so that a mismatch between two feeding strategies shows the difference.
inline QByteArray describe(const ParsedRequest &request)
{
    QByteArray out = request.method + ' ' + request.target + " path=" + request.path
        + " query=" + request.query + " minor=" + QByteArray::number(request.versionMinor);
    for (const auto &field : request.headers)
        out += " [" + field.first + ':' + field.second + ']';
    out += " body=" + request.body.toHex() + " size=" + QByteArray::number(request.bodySize)
        + " truncated=" + QByteArray::number(request.bodyTruncated)
        + " keepAlive=" + QByteArray::number(request.keepAlive)
        + " expect=" + QByteArray::number(request.expectContinue);
    return out;
}

struct Run
{
    QList<ParsedRequest> requests;
    Status last = Status::NeedMore;
    int errorStatus = 0;
    QByteArray errorReason;
    QByteArray errorDetail;
    QByteArray requestAtError;
    QByteArray leftover;
    bool inProgress = false;
    // HeadersComplete exactly once per request, before Complete and before any body byte, and
    // NeedMore only with the buffer drained (a connection reads again only into an empty buffer).
    bool contractOk = true;
};

// Drives the parser the way a connection does: append what arrived, parse until NeedMore,
// take each complete request and reset for the pipelined next one.
inline Run feedPieces(const QList<QByteArray> &pieces, Limits limits = testLimits())
{
    HttpRequestParser parser(limits);
    Run run;
    QByteArray buffer;
    qsizetype next = 0;
    int headersComplete = 0;
    for (;;) {
        switch (parser.parse(buffer)) {
        case Status::HeadersComplete:
            if (headersComplete++ != 0 || !parser.request().body.isEmpty()
                || parser.request().bodySize != 0 || !parser.headersDone()) {
                run.contractOk = false;
            }
            continue;
        case Status::Complete:
            if (headersComplete != 1)
                run.contractOk = false;
            headersComplete = 0;
            run.requests.append(parser.takeRequest());
            parser.reset();
            continue;
        case Status::Error:
            run.last = Status::Error;
            run.errorStatus = parser.errorStatus();
            run.errorReason = parser.errorReason();
            run.errorDetail = parser.errorDetail();
            run.requestAtError = describe(parser.request());
            run.leftover = buffer;
            return run;
        case Status::NeedMore:
            if (!buffer.isEmpty())
                run.contractOk = false;
            if (next == pieces.size()) {
                run.last = Status::NeedMore;
                run.leftover = buffer;
                run.inProgress = parser.inProgress();
                return run;
            }
            buffer.append(pieces.at(next++));
            continue;
        }
    }
}

// step 0 feeds everything at once.
inline Run feed(const QByteArray &input, qsizetype step, Limits limits = testLimits())
{
    QList<QByteArray> pieces;
    if (step <= 0) {
        pieces.append(input);
    } else {
        for (qsizetype i = 0; i < input.size(); i += step)
            pieces.append(input.mid(i, step));
    }
    return feedPieces(pieces, limits);
}

} // namespace Hooktrail::TestSupport
