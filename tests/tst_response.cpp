// A webhook's answer of the user's choosing (ARCHITECTURE §5.6), over real loopback HTTP to a
// real receiver: status, body with placeholders, content type and headers; rejections keep the
// contract's JSON; a delay holds the answer, not the receiver.
#include "receivertest.h"

#include <QElapsedTimer>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

class tst_Response final : public ReceiverTest
{
    Q_OBJECT

private slots:
    void statusBodyAndHeaders();
    void presets_data();
    void presets();
    void rejectionsKeepTheContract();
    void headAndPipelining();
    void delayHoldsTheAnswerNotTheReceiver();

private:
    void answerWith(const QString &hook, const CustomResponse &response);
    std::optional<HttpAnswer> send(const QByteArray &request);
};

void tst_Response::answerWith(const QString &hook, const CustomResponse &response)
{
    Webhook webhook = m_hooks.value(hook);
    webhook.response = response;
    const QList<FieldProblem> problems = validateWebhook(webhook);
    QVERIFY2(problems.isEmpty(), problems.isEmpty() ? "" : qPrintable(problems.first().message));
    const Status updated = m_store->config().updateWebhook(webhook);
    QVERIFY2(updated.ok(), qPrintable(updated.error()));
    m_hooks.insert(hook, webhook);
    m_engine->config()->refresh();
}

std::optional<HttpAnswer> tst_Response::send(const QByteArray &request)
{
    RawHttpClient client(port());
    if (!client.connectToServer())
        return std::nullopt;
    client.send(request);
    return client.readAnswer(10000);
}

void tst_Response::statusBodyAndHeaders()
{
    CustomResponse response;
    response.status = 201;
    response.body = u"created {{requestId}} at {{receivedAt}}; again {{requestId}} {{other}}"_s;
    response.contentType = u"text/plain; charset=utf-8"_s;
    response.headers = { { u"X-Request-Handler"_s, u"hooktrail-test"_s },
        { u"Set-Cookie"_s, u"session=abc; HttpOnly"_s } };
    answerWith(u"open"_s, response);

    const std::optional<HttpAnswer> answer = send(acceptedRequest());
    QVERIFY(answer);
    QVERIFY2(answer->statusLine == "HTTP/1.1 201 Created", answer->statusLine.constData());
    QCOMPARE(answer->header("content-type"), "text/plain; charset=utf-8"_ba);
    QCOMPARE(answer->header("x-request-handler"), "hooktrail-test"_ba);
    QCOMPARE(answer->header("set-cookie"), "session=abc; HttpOnly"_ba);
    QCOMPARE(answer->header("content-length").toLongLong(), answer->body.size());

    // The placeholders are the logged row's id and time; the row is an accepted request.
    const QList<LoggedRequest> rows = allRows();
    QCOMPARE(rows.size(), 1);
    const LoggedRequest &row = rows.first();
    QCOMPARE(row.status, 200);
    QCOMPARE(row.reason, "accepted"_ba);
    const QByteArray expected = "created " + QByteArray::number(row.id) + " at "
        + LoggedRequest::formatTimestamp(row.receivedAtMicros).toUtf8() + "; again "
        + QByteArray::number(row.id) + " {{other}}";
    QCOMPARE(answer->body, expected);
}

void tst_Response::presets_data()
{
    QTest::addColumn<CustomResponse>("response");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body"); // %1: the request's id
    QTest::newRow("empty 204") << CustomResponse::empty204() << 204 << QByteArray();
    QTest::newRow("echo the id") << CustomResponse::echoRequestId() << 200 << "%1"_ba;
    QTest::newRow("fail with 500") << CustomResponse::fail500() << 500
                                   << "Hooktrail was asked to fail this request (request %1)."_ba;
}

void tst_Response::presets()
{
    QFETCH(CustomResponse, response);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    answerWith(u"open"_s, response);
    // Twice on one connection: the framing of each answer (a 204 has no length) holds.
    RawHttpClient client(port());
    QVERIFY(client.connectToServer());
    client.send(acceptedRequest() + acceptedRequest());
    QList<HttpAnswer> answers;
    for (int i = 0; i < 2; ++i) {
        const std::optional<HttpAnswer> answer = client.readAnswer(10000);
        QVERIFY(answer);
        answers.append(*answer);
    }
    QList<qint64> ids;
    for (const LoggedRequest &row : allRows()) {
        QCOMPARE(row.status, 200); // logged as accepted whatever the answer says
        ids.prepend(row.id);
    }
    std::sort(ids.begin(), ids.end());
    QCOMPARE(ids.size(), 2);
    for (int i = 0; i < 2; ++i) {
        QCOMPARE(answers.at(i).status, status);
        QCOMPARE(answers.at(i).body, QByteArray(body).replace("%1", QByteArray::number(ids.at(i))));
        if (status == 204)
            QVERIFY(!answers.at(i).hasHeader("content-length"));
    }
}

void tst_Response::rejectionsKeepTheContract()
{
    CustomResponse response = CustomResponse::fail500();
    response.delayMs = 3000;
    answerWith(u"open"_s, response);
    QElapsedTimer timer;
    timer.start();
    const std::optional<HttpAnswer> answer = send(httpRequest(
        "POST", target(u"open"_s), "Content-Type: application/json\r\n", "{}")); // no key
    checkAnswer(answer, 401, u"missing_api_key"_s);
    // Not delayed either: the delay is the accepted answer's.
    QVERIFY2(timer.elapsed() < 2500, qPrintable(QString::number(timer.elapsed())));
}

void tst_Response::headAndPipelining()
{
    CustomResponse response;
    response.status = 202;
    response.body = u"queued {{requestId}}"_s;
    answerWith(u"open"_s, response);
    RawHttpClient client(port());
    QVERIFY(client.connectToServer());
    // A request of the contract's own JSON (another webhook) between two custom ones keeps
    // its place in the order.
    client.send(acceptedRequest() + acceptedRequest(u"other"_s) + acceptedRequest());
    const std::optional<HttpAnswer> first = client.readAnswer();
    const std::optional<HttpAnswer> second = client.readAnswer();
    const std::optional<HttpAnswer> third = client.readAnswer();
    QVERIFY(first && second && third);
    QCOMPARE(first->status, 202);
    QVERIFY(first->body.startsWith("queued "));
    QCOMPARE(second->status, 200);
    QCOMPARE(second->reason(), u"accepted"_s);
    QCOMPARE(third->status, 202);
    QVERIFY(first->body != third->body);
}

// Fifty requests to a webhook that answers after 2 s, at once: each answer leaves after its
// delay, none before, and meanwhile another webhook answers at once, so the delays hold no
// receiver thread. Compared within this one run, not against a fixed budget.
void tst_Response::delayHoldsTheAnswerNotTheReceiver()
{
    constexpr int Slow = 50;
    constexpr int DelayMs = 2000;
    CustomResponse response;
    response.body = u"late {{requestId}}"_s;
    response.delayMs = DelayMs;
    answerWith(u"open"_s, response);

    std::vector<std::unique_ptr<RawHttpClient>> slow;
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < Slow; ++i) {
        auto client = std::make_unique<RawHttpClient>(port());
        QVERIFY(client->connectToServer());
        QVERIFY(client->send(acceptedRequest()));
        slow.push_back(std::move(client));
    }
    const qint64 allSent = clock.elapsed();

    // Another webhook, meanwhile: answered while all fifty still wait.
    QList<qint64> fastMs;
    for (int i = 0; i < 10; ++i) {
        QElapsedTimer one;
        one.start();
        const std::optional<HttpAnswer> answer = send(acceptedRequest(u"other"_s));
        QVERIFY(answer);
        QCOMPARE(answer->status, 200);
        fastMs.append(one.elapsed());
    }
    const qint64 fastDone = clock.elapsed();
    for (const auto &client : slow)
        QVERIFY2(client->buffer().isEmpty() && !client->pump(0), "a delayed answer left early");

    qint64 firstSlow = -1;
    qint64 lastSlow = 0;
    for (const auto &client : slow) {
        const std::optional<HttpAnswer> answer = client->readAnswer(20000);
        QVERIFY(answer);
        QCOMPARE(answer->status, 200);
        QVERIFY(answer->body.startsWith("late "));
        const qint64 at = clock.elapsed();
        if (firstSlow < 0)
            firstSlow = at;
        lastSlow = at;
    }
    qInfo() << "50 delayed answers sent in" << allSent << "ms, answered from" << firstSlow << "to"
            << lastSlow << "ms; other webhook answers in" << fastMs << "ms, done at" << fastDone
            << "ms";
    QVERIFY2(firstSlow >= DelayMs, qPrintable(QString::number(firstSlow)));
    // The other webhook was done before the first delayed answer left.
    QVERIFY2(fastDone < firstSlow, qPrintable(u"%1 %2"_s.arg(fastDone).arg(firstSlow)));
    QCOMPARE(allRows().size(), Slow + 10);
}

QTEST_GUILESS_MAIN(tst_Response)
#include "tst_response.moc"
