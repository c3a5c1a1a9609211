// The console's settings page: receiver, retention, language, storage and the API keys manager.
#include "ui/settingspage.h"

#include "core/base/settings.h"
#include "core/model/iprange.h"
#include "core/receiver/engine.h"
#include "core/receiver/receiver.h"
#include "core/store/retention.h"
#include "core/store/store.h"
#include "core/store/storeexecutor.h"
#include "core/tls/certificates.h"
#include "core/tls/tlscontext.h"
#include "ui/confirmation.h"
#include "ui/keysmanager.h"
#include "ui/languages.h"
#include "ui/problemlabel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QScrollArea>
#include <QShortcut>
#include <QSpinBox>
#include <QUrl>
#include <QVBoxLayout>
#include <QWheelEvent>
#include <functional>

#include <limits>

namespace Hooktrail {

namespace {
constexpr qint64 MiB = 1024 * 1024;
constexpr int CustomChoice = -1; // the data of a choice box's "Custom…" item
constexpr int MaxRetentionDays = 36500;

// A choice box the mouse wheel never changes: a slip of the wheel while scrolling the page must
// not pick a retention that deletes requests. The wheel scrolls the page instead.
class SteadyComboBox final : public QComboBox
{
public:
    using QComboBox::QComboBox;

protected:
    void wheelEvent(QWheelEvent *event) override { event->ignore(); }
};

// A choice box of preset values and "Custom…", and the field for a custom value next to it.
QComboBox *choiceBox(
    const QString &objectName, const QList<QPair<QString, int>> &choices, QWidget *parent)
{
    auto *combo = new SteadyComboBox(parent);
    combo->setObjectName(objectName);
    for (const auto &[text, value] : choices)
        combo->addItem(text, value);
    combo->addItem(SettingsPage::tr("Custom…"), CustomChoice);
    return combo;
}

QLineEdit *customField(const QString &objectName, const QString &placeholder, QWidget *parent)
{
    auto *edit = new QLineEdit(parent);
    edit->setObjectName(objectName);
    edit->setPlaceholderText(placeholder);
    edit->setMaxLength(14);
    edit->hide();
    return edit;
}

// The value chosen: a preset, or the custom field's whole number in 1..maximum (-1 otherwise).
int chosenValue(const QComboBox *combo, const QLineEdit *custom, int maximum)
{
    const int choice = combo->currentData().toInt();
    if (choice != CustomChoice)
        return choice;
    bool ok = false;
    const qint64 value = QLocale().toLongLong(custom->text().trimmed(), &ok);
    return ok && value >= 1 && value <= maximum ? int(value) : -1;
}

void showChoice(QComboBox *combo, QLineEdit *custom, int value)
{
    int index = combo->findData(value);
    if (index < 0) {
        index = combo->findData(CustomChoice);
        custom->setText(QLocale().toString(value));
    } else {
        custom->clear();
    }
    combo->setCurrentIndex(index);
}

QString retentionProblem(int days, int count)
{
    if (days < 0)
        return SettingsPage::tr("Enter a whole number of days from 1 to %L1.")
            .arg(MaxRetentionDays);
    if (count < 0)
        return SettingsPage::tr("Enter a whole number of requests from 1 to %L1.")
            .arg(std::numeric_limits<int>::max());
    return {};
}

QString addressProblem(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return SettingsPage::tr("Enter the address to listen on, e.g. 127.0.0.1.");
    // IpRange is strict about what an address looks like; a range is no place to listen on.
    if (trimmed.contains(u'/') || !IpRange::parse(trimmed))
        return SettingsPage::tr(
            "'%1' is not an IP address. Use 127.0.0.1 for this computer only, or "
            "0.0.0.0 or :: for every network interface.")
            .arg(trimmed);
    return {};
}

QString publicBaseUrlProblem(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return {};
    const QUrl url(trimmed, QUrl::StrictMode);
    if (!url.isValid())
        return SettingsPage::tr("'%1' is not a valid URL.").arg(trimmed);
    const QString scheme = url.scheme().toLower();
    if (scheme != u"http" && scheme != u"https")
        return SettingsPage::tr("The public base URL must start with http:// or https://.");
    if (url.host().isEmpty())
        return SettingsPage::tr("The public base URL needs a host name.");
    if (!url.userInfo().isEmpty())
        return SettingsPage::tr("The public base URL cannot hold a user name or password.");
    if (url.hasQuery())
        return SettingsPage::tr(
            "The public base URL cannot have a query (?…): the endpoint adds its own.");
    if (url.hasFragment())
        return SettingsPage::tr("The public base URL cannot have a fragment (#…).");
    return {};
}

// The non-empty lines, trimmed, each with its 1-based line number.
QList<QPair<int, QString>> entriesOf(const QString &text)
{
    QList<QPair<int, QString>> entries;
    const QStringList lines = text.split(u'\n');
    for (int i = 0; i < lines.size(); ++i) {
        const QString line = lines.at(i).trimmed();
        if (!line.isEmpty())
            entries.append({ i + 1, line });
    }
    return entries;
}

QStringList trustedProxyProblems(const QString &text)
{
    QStringList problems;
    for (const auto &[line, entry] : entriesOf(text)) {
        if (const Result<IpRange> range = IpRange::parse(entry); !range)
            problems.append(
                SettingsPage::tr("Line %1, '%2': %3.").arg(line).arg(entry, range.error()));
    }
    return problems;
}

// A row of the form: the field, with hints and problems under it.
QVBoxLayout *fieldColumn(std::initializer_list<QWidget *> widgets)
{
    auto *column = new QVBoxLayout;
    column->setSpacing(2);
    for (QWidget *widget : widgets)
        column->addWidget(widget);
    return column;
}

QLabel *hintLabel(const QString &text, QWidget *parent)
{
    auto *hint = new QLabel(text, parent);
    hint->setWordWrap(true);
    hint->setForegroundRole(QPalette::PlaceholderText);
    return hint;
}

QLabel *buddyLabel(const QString &text, QWidget *buddy)
{
    auto *label = new QLabel(text, buddy->parentWidget());
    label->setBuddy(buddy);
    return label;
}
// Both files or neither; both read as the receiver will read them (ARCHITECTURE §5.8).
QString tlsProblem(const QString &certificate, const QString &key)
{
    if (certificate.isEmpty() && key.isEmpty())
        return {};
    if (certificate.isEmpty() || key.isEmpty())
        return SettingsPage::tr("Choose both the certificate and its key, or neither for plain "
                                "HTTP.");
    const Result<QSslConfiguration> loaded = TlsContext::load(certificate, key);
    return loaded ? QString() : loaded.error();
}

} // namespace

bool SettingsPage::Values::receiverDiffers(const Values &other) const
{
    return address != other.address || port != other.port || bodyLimitMiB != other.bodyLimitMiB
        || idleTimeoutSeconds != other.idleTimeoutSeconds || trustedProxies != other.trustedProxies
        || tlsCertificate != other.tlsCertificate || tlsKey != other.tlsKey;
}

bool SettingsPage::Values::apiDiffers(const Values &other) const
{
    return apiEnabled != other.apiEnabled || apiListen != other.apiListen
        || apiMetricsNeedToken != other.apiMetricsNeedToken;
}

bool SettingsPage::Values::operator==(const Values &other) const
{
    return !receiverDiffers(other) && !apiDiffers(other) && publicBaseUrl == other.publicBaseUrl
        && retentionDays == other.retentionDays && retentionCount == other.retentionCount
        && language == other.language && sharedDatabase == other.sharedDatabase
        && keepFreeMiB == other.keepFreeMiB;
}

SettingsPage::SettingsPage(const ConsoleContext &context, QWidget *parent)
    : QWidget(parent), m_context(context)
{
    auto *content = new QWidget;
    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->addWidget(buildReceiverGroup(content));
    contentLayout->addWidget(buildRetentionGroup(content));
    contentLayout->addWidget(buildLanguageGroup(content));
    contentLayout->addWidget(buildDatabaseGroup(content));
    contentLayout->addWidget(buildKeysGroup(content));
    contentLayout->addWidget(buildApiGroup(content));
    contentLayout->addStretch(1);

    // One label column for every box, so the fields line up down the page.
    const QList<QFormLayout *> forms = content->findChildren<QFormLayout *>();
    const auto forEachLabel = [&forms](const std::function<void(QWidget *)> &visit) {
        for (QFormLayout *form : forms) {
            for (int row = 0; row < form->rowCount(); ++row) {
                if (QLayoutItem *item = form->itemAt(row, QFormLayout::LabelRole);
                    item && item->widget())
                    visit(item->widget());
            }
        }
    };
    int labelWidth = 0;
    forEachLabel([&labelWidth](QWidget *label) {
        labelWidth = std::max(labelWidth, label->sizeHint().width());
    });
    forEachLabel([labelWidth](QWidget *label) { label->setMinimumWidth(labelWidth); });
    // Fields as wide as a reader's line, not as the screen: the page stays in one glance.
    content->setMaximumWidth(fontMetrics().averageCharWidth() * 150);

    auto *scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("settingsScrollArea"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(content);
    scroll->setAlignment(Qt::AlignLeft | Qt::AlignTop);

    QLayout *buttons = buildApplyRow();
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(scroll, 1);
    layout->addLayout(buttons);

    setTabOrder(m_addressEdit, m_portSpin);
    setTabOrder(m_portSpin, m_publicBaseUrlEdit);
    setTabOrder(m_publicBaseUrlEdit, m_tlsCertificateEdit);
    setTabOrder(m_tlsCertificateEdit, m_tlsKeyEdit);
    setTabOrder(m_tlsKeyEdit, m_bodyLimitSpin);
    setTabOrder(m_bodyLimitSpin, m_idleTimeoutSpin);
    setTabOrder(m_idleTimeoutSpin, m_trustedProxiesEdit);
    setTabOrder(m_trustedProxiesEdit, m_retentionDaysCombo);
    setTabOrder(m_retentionDaysCombo, m_retentionDaysEdit);
    setTabOrder(m_retentionDaysEdit, m_retentionCountCombo);
    setTabOrder(m_retentionCountCombo, m_retentionCountEdit);
    setTabOrder(m_retentionCountEdit, m_languageCombo);
    setTabOrder(m_languageCombo, m_databaseEdit);
    setTabOrder(m_databaseEdit, m_keepFreeSpin);
    setTabOrder(m_keepFreeSpin, m_keys);

    for (QLineEdit *edit : { m_addressEdit, m_publicBaseUrlEdit, m_tlsCertificateEdit, m_tlsKeyEdit,
             m_retentionDaysEdit, m_retentionCountEdit }) {
        connect(edit, &QLineEdit::textChanged, this, &SettingsPage::validate);
        connect(edit, &QLineEdit::returnPressed, this, &SettingsPage::apply);
    }
    connect(m_trustedProxiesEdit, &QPlainTextEdit::textChanged, this, &SettingsPage::validate);
    for (QSpinBox *spin : { m_portSpin, m_bodyLimitSpin, m_idleTimeoutSpin, m_keepFreeSpin })
        connect(spin, &QSpinBox::valueChanged, this, &SettingsPage::validate);
    for (QComboBox *combo : { m_retentionDaysCombo, m_retentionCountCombo, m_languageCombo })
        connect(combo, &QComboBox::currentIndexChanged, this, &SettingsPage::validate);
    for (const auto &[combo, custom] : { std::pair(m_retentionDaysCombo, m_retentionDaysEdit),
             std::pair(m_retentionCountCombo, m_retentionCountEdit) }) {
        connect(combo, &QComboBox::currentIndexChanged, custom, [combo = combo, custom = custom] {
            custom->setVisible(combo->currentData().toInt() == CustomChoice);
        });
        connect(combo, &QComboBox::activated, custom, [combo = combo, custom = custom] {
            if (combo->currentData().toInt() == CustomChoice)
                custom->setFocus(); // the user chose to type a number: the field is next
        });
    }
    connect(m_databaseEdit, &QLineEdit::textChanged, this, &SettingsPage::validate);
    connect(m_applyButton, &QPushButton::clicked, this, &SettingsPage::apply);
    connect(m_revertButton, &QPushButton::clicked, this, &SettingsPage::revert);
    auto *applyShortcut = new QShortcut(QKeySequence::Save, this, this, &SettingsPage::apply);
    applyShortcut->setContext(Qt::WidgetWithChildrenShortcut);

    // A change stored elsewhere shows here, unless the user is in the middle of editing.
    connect(m_context.settings, &Settings::changed, this, [this] {
        if (m_applying)
            return;
        const bool clean = !hasChanges();
        m_stored = storedValues();
        if (clean)
            showValues(m_stored);
        validate();
        updateDefaultBaseUrl();
    });

    m_stored = storedValues();
    showValues(m_stored);
    updateDefaultBaseUrl();
    validate();
}

QGroupBox *SettingsPage::buildReceiverGroup(QWidget *parent)
{
    auto *receiverBox = new QGroupBox(tr("Receiver"), parent);
    m_outcome = new QLabel(receiverBox);
    m_outcome->setObjectName(QStringLiteral("receiverOutcomeLabel"));
    m_outcome->setWordWrap(true);
    m_outcome->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_outcome->setAccessibleName(tr("Receiver state"));
    m_receiverProblem = new ProblemLabel(QStringLiteral("receiverProblem"), receiverBox);
    m_receiverProblem->setAccessibleName(tr("Why the receiver is not receiving"));

    m_addressEdit = new QLineEdit(receiverBox);
    m_addressEdit->setObjectName(QStringLiteral("listenAddressEdit"));
    m_addressEdit->setAccessibleName(tr("Listen address"));
    m_addressEdit->setToolTip(
        tr("127.0.0.1 accepts requests from this computer only; 0.0.0.0 (IPv4) "
           "or :: (IPv6) from every network interface."));
    m_addressProblem = new ProblemLabel(QStringLiteral("listenAddressProblem"), receiverBox);

    m_portSpin = new QSpinBox(receiverBox);
    m_portSpin->setObjectName(QStringLiteral("portSpin"));
    m_portSpin->setAccessibleName(tr("Port"));
    m_portSpin->setRange(0, 65535);
    m_portSpin->setSpecialValueText(tr("0 (any free port)"));
    m_portSpin->setToolTip(
        tr("The TCP port senders connect to. 0 lets the system pick a free port; "
           "the status bar then shows which."));
    auto *portHint
        = hintLabel(tr("0 means any free port. The receiver restarts when you apply a new "
                       "address, port, limit or proxy list."),
            receiverBox);

    m_publicBaseUrlEdit = new QLineEdit(receiverBox);
    m_publicBaseUrlEdit->setObjectName(QStringLiteral("publicBaseUrlEdit"));
    m_publicBaseUrlEdit->setAccessibleName(tr("Public base URL"));
    m_publicBaseUrlEdit->setClearButtonEnabled(true);
    m_publicBaseUrlEdit->setToolTip(
        tr("Set this when senders reach the receiver through a reverse proxy "
           "or tunnel: every copied endpoint starts with it."));
    auto *publicBaseUrlHint = hintLabel(
        tr("http(s)://host[:port][/path], without a query. Empty: the listen address and port."),
        receiverBox);
    m_publicBaseUrlProblem = new ProblemLabel(QStringLiteral("publicBaseUrlProblem"), receiverBox);

    m_bodyLimitSpin = new QSpinBox(receiverBox);
    m_bodyLimitSpin->setObjectName(QStringLiteral("bodyLimitSpin"));
    m_bodyLimitSpin->setAccessibleName(tr("Body size limit in MiB"));
    m_bodyLimitSpin->setRange(1, 1024);
    m_bodyLimitSpin->setSuffix(tr(" MiB"));
    m_bodyLimitSpin->setToolTip(
        tr("Larger bodies are refused with 413 payload_too_large as soon as "
           "the limit is passed."));

    m_idleTimeoutSpin = new QSpinBox(receiverBox);
    m_idleTimeoutSpin->setObjectName(QStringLiteral("idleTimeoutSpin"));
    m_idleTimeoutSpin->setAccessibleName(tr("Idle timeout in seconds"));
    m_idleTimeoutSpin->setRange(1, 3600);
    m_idleTimeoutSpin->setSuffix(tr(" s"));
    m_idleTimeoutSpin->setToolTip(
        tr("A kept-alive connection with nothing to do is closed after this long."));

    m_trustedProxiesEdit = new QPlainTextEdit(receiverBox);
    m_trustedProxiesEdit->setObjectName(QStringLiteral("trustedProxiesEdit"));
    m_trustedProxiesEdit->setAccessibleName(tr("Trusted proxies"));
    m_trustedProxiesEdit->setTabChangesFocus(true);
    m_trustedProxiesEdit->setPlaceholderText(tr("e.g. 10.0.0.0/8"));
    m_trustedProxiesEdit->setToolTip(
        tr("The client address of a request from one of these is taken "
           "from its X-Forwarded-For header."));
    m_trustedProxiesEdit->setMaximumHeight(m_trustedProxiesEdit->fontMetrics().lineSpacing() * 6);
    auto *trustedProxiesHint
        = hintLabel(tr("One address or CIDR range per line. Empty: X-Forwarded-For is never used."),
            receiverBox);
    m_trustedProxiesProblem
        = new ProblemLabel(QStringLiteral("trustedProxiesProblem"), receiverBox);

    // TLS (ARCHITECTURE §5.8): the port speaks HTTPS when both files are set.
    const auto fileRow = [receiverBox, this](QLineEdit *edit, const QString &objectName,
                             const QString &accessibleName, const QString &caption) {
        edit->setObjectName(objectName);
        edit->setAccessibleName(accessibleName);
        edit->setClearButtonEnabled(true);
        edit->setPlaceholderText(tr("None: plain HTTP"));
        auto *browse = new QPushButton(tr("Browse…"), receiverBox);
        browse->setObjectName(objectName + QStringLiteral("Browse"));
        browse->setAccessibleName(tr("Browse for %1").arg(accessibleName));
        browse->setAutoDefault(false);
        connect(browse, &QPushButton::clicked, this,
            [this, edit, caption] { browseTlsFile(edit, caption); });
        auto *row = new QHBoxLayout;
        row->addWidget(edit, 1);
        row->addWidget(browse);
        return row;
    };
    m_tlsCertificateEdit = new QLineEdit(receiverBox);
    m_tlsKeyEdit = new QLineEdit(receiverBox);
    QHBoxLayout *certificateRow
        = fileRow(m_tlsCertificateEdit, QStringLiteral("tlsCertificateEdit"),
            tr("TLS certificate file"), tr("The receiver's certificate (PEM)"));
    QHBoxLayout *keyRow = fileRow(m_tlsKeyEdit, QStringLiteral("tlsKeyEdit"),
        tr("TLS private key file"), tr("The certificate's private key (PEM)"));
    m_selfSignedButton = new QPushButton(tr("Create a &self-signed certificate…"), receiverBox);
    m_selfSignedButton->setObjectName(QStringLiteral("selfSignedButton"));
    m_selfSignedButton->setAutoDefault(false);
    m_selfSignedButton->setToolTip(
        tr("For testing: a certificate its own authority, in the data folder. Senders must be "
           "told to trust it (curl --cacert)."));
    connect(m_selfSignedButton, &QPushButton::clicked, this, &SettingsPage::createSelfSigned);
    auto *selfSignedRow = new QHBoxLayout;
    selfSignedRow->addWidget(m_selfSignedButton);
    selfSignedRow->addStretch(1);
    auto *tlsHint = hintLabel(tr("PEM files. With both, the port speaks HTTPS (TLS 1.2 or later) "
                                 "and endpoints start with https://. A renewed certificate is "
                                 "used without a restart."),
        receiverBox);
    m_tlsProblem = new ProblemLabel(QStringLiteral("tlsProblem"), receiverBox);
    auto *tlsColumn = new QVBoxLayout;
    tlsColumn->setContentsMargins(0, 0, 0, 0);
    tlsColumn->addLayout(certificateRow);

    auto *receiverForm = new QFormLayout(receiverBox);
    receiverForm->addRow(tr("State:"), fieldColumn({ m_outcome }));
    receiverForm->addRow(buddyLabel(tr("Listen &address:"), m_addressEdit),
        fieldColumn({ m_addressEdit, m_addressProblem }));
    receiverForm->addRow(buddyLabel(tr("&Port:"), m_portSpin),
        fieldColumn({ m_portSpin, portHint, m_receiverProblem }));
    receiverForm->addRow(buddyLabel(tr("Public &base URL:"), m_publicBaseUrlEdit),
        fieldColumn({ m_publicBaseUrlEdit, publicBaseUrlHint, m_publicBaseUrlProblem }));
    receiverForm->addRow(buddyLabel(tr("TLS c&ertificate:"), m_tlsCertificateEdit), tlsColumn);
    auto *keyColumn = new QVBoxLayout;
    keyColumn->setContentsMargins(0, 0, 0, 0);
    keyColumn->addLayout(keyRow);
    keyColumn->addLayout(selfSignedRow);
    keyColumn->addWidget(tlsHint);
    keyColumn->addWidget(m_tlsProblem);
    receiverForm->addRow(buddyLabel(tr("TLS private &key:"), m_tlsKeyEdit), keyColumn);
    receiverForm->addRow(buddyLabel(tr("B&ody size limit:"), m_bodyLimitSpin), m_bodyLimitSpin);
    receiverForm->addRow(buddyLabel(tr("&Idle timeout:"), m_idleTimeoutSpin), m_idleTimeoutSpin);
    receiverForm->addRow(buddyLabel(tr("&Trusted proxies:"), m_trustedProxiesEdit),
        fieldColumn({ m_trustedProxiesEdit, trustedProxiesHint, m_trustedProxiesProblem }));
    return receiverBox;
}

QGroupBox *SettingsPage::buildRetentionGroup(QWidget *parent)
{
    // Explicit choices rather than spin boxes, and a prompt before anything is deleted: a
    // retention is the one setting that destroys requests (ARCHITECTURE §5.3).
    auto *retentionBox = new QGroupBox(tr("Retention"), parent);
    QList<QPair<QString, int>> dayChoices { { tr("Forever"), 0 } };
    for (const int days : { 7, 30, 90 })
        dayChoices.append({ tr("%Ln day(s)", nullptr, days), days });
    m_retentionDaysCombo
        = choiceBox(QStringLiteral("retentionDaysCombo"), dayChoices, retentionBox);
    m_retentionDaysCombo->setAccessibleName(tr("Keep requests for"));
    m_retentionDaysCombo->setToolTip(tr("Older requests are deleted from the history."));
    m_retentionDaysEdit = customField(
        QStringLiteral("retentionDaysEdit"), tr("Number of days, e.g. 14"), retentionBox);
    m_retentionDaysEdit->setAccessibleName(tr("Keep requests for this many days"));

    QList<QPair<QString, int>> countChoices { { tr("No limit"), 0 } };
    for (const int count : { 1000, 10000, 100000, 1000000 })
        countChoices.append({ tr("%Ln request(s)", nullptr, count), count });
    m_retentionCountCombo
        = choiceBox(QStringLiteral("retentionCountCombo"), countChoices, retentionBox);
    m_retentionCountCombo->setAccessibleName(tr("Keep at most"));
    m_retentionCountCombo->setToolTip(
        tr("Beyond this many, the oldest requests are deleted from the history."));
    m_retentionCountEdit = customField(
        QStringLiteral("retentionCountEdit"), tr("Number of requests, e.g. 5,000"), retentionBox);
    m_retentionCountEdit->setAccessibleName(tr("Keep at most this many requests"));
    m_retentionProblem = new ProblemLabel(QStringLiteral("retentionProblem"), retentionBox);

    const auto choiceRow = [](QComboBox *combo, QLineEdit *custom) {
        auto *row = new QHBoxLayout;
        row->addWidget(combo);
        row->addWidget(custom, 1);
        row->addStretch(0);
        return row;
    };
    auto *retentionForm = new QFormLayout(retentionBox);
    retentionForm->addRow(buddyLabel(tr("Keep requests &for:"), m_retentionDaysCombo),
        choiceRow(m_retentionDaysCombo, m_retentionDaysEdit));
    retentionForm->addRow(buddyLabel(tr("Keep at &most:"), m_retentionCountCombo),
        choiceRow(m_retentionCountCombo, m_retentionCountEdit));
    retentionForm->addRow(QString(),
        fieldColumn({ m_retentionProblem,
            hintLabel(tr("Applying a retention that deletes requests asks first. Nothing else "
                         "is ever deleted from the history."),
                retentionBox) }));
    return retentionBox;
}

QGroupBox *SettingsPage::buildLanguageGroup(QWidget *parent)
{
    auto *languageBox = new QGroupBox(tr("Language"), parent);
    m_languageCombo = new QComboBox(languageBox);
    m_languageCombo->setObjectName(QStringLiteral("languageCombo"));
    m_languageCombo->setAccessibleName(tr("Language"));
    m_languageCombo->setToolTip(
        tr("The language of the console; the system's unless chosen here."));
    m_languageCombo->addItem(tr("System default"), QString());
    // Each language in its own name, so it can be found whatever the current one is.
    for (const auto &[code, name] : Languages::available())
        m_languageCombo->addItem(name, code);
    auto *languageForm = new QFormLayout(languageBox);
    languageForm->addRow(buddyLabel(tr("&Language:"), m_languageCombo),
        fieldColumn({ m_languageCombo,
            hintLabel(tr("Takes effect when Hooktrail restarts."), languageBox) }));
    return languageBox;
}

QGroupBox *SettingsPage::buildDatabaseGroup(QWidget *parent)
{
    auto *databaseBox = new QGroupBox(tr("Database"), parent);
    m_databaseEdit = new QLineEdit(databaseBox);
    m_databaseEdit->setObjectName(QStringLiteral("sharedDatabaseEdit"));
    m_databaseEdit->setAccessibleName(tr("Shared database URL"));
    m_databaseEdit->setClearButtonEnabled(true);
    m_databaseEdit->setPlaceholderText(tr("postgresql://user@host:5432/hooktrail"));
    m_databaseEdit->setToolTip(
        tr("A PostgreSQL database shared by several receivers and consoles. Empty: the SQLite "
           "file in this computer's data folder."));
    m_databaseProblem = new ProblemLabel(QStringLiteral("sharedDatabaseProblem"), databaseBox);
    m_keepFreeSpin = new QSpinBox(databaseBox);
    m_keepFreeSpin->setObjectName(QStringLiteral("keepFreeSpin"));
    m_keepFreeSpin->setAccessibleName(tr("Keep free on disk, in MiB"));
    m_keepFreeSpin->setRange(0, 1024 * 1024);
    m_keepFreeSpin->setSingleStep(128);
    m_keepFreeSpin->setGroupSeparatorShown(true);
    m_keepFreeSpin->setSpecialValueText(tr("No floor"));
    m_keepFreeSpin->setSuffix(tr(" MiB"));
    m_keepFreeSpin->setToolTip(
        tr("With less free space than this on the disk of the database file, requests are "
           "refused with 503 storage_unavailable (senders retry later) instead of filling the "
           "disk. 0: no floor."));
    auto *databaseForm = new QFormLayout(databaseBox);
    databaseForm->addRow(buddyLabel(tr("S&hared database:"), m_databaseEdit),
        fieldColumn({ m_databaseEdit, m_databaseProblem,
            hintLabel(tr("Takes effect when Hooktrail restarts. The password comes from "
                         "PGPASSWORD or ~/.pgpass, never from this file. Now in use: %1")
                          .arg(m_context.settings->databaseForDisplay()),
                databaseBox) }));
    databaseForm->addRow(buddyLabel(tr("Keep free on &disk:"), m_keepFreeSpin),
        fieldColumn({ m_keepFreeSpin,
            hintLabel(tr("Requests are taken again by themselves once there is room. Applies to "
                         "the SQLite file; a PostgreSQL server watches its own disk."),
                databaseBox) }));
    return databaseBox;
}

QGroupBox *SettingsPage::buildKeysGroup(QWidget *parent)
{
    auto *keysBox = new QGroupBox(tr("API keys"), parent);
    m_keys = new KeysManager(m_context, keysBox);
    auto *keysLayout = new QVBoxLayout(keysBox);
    keysLayout->addWidget(m_keys);
    return keysBox;
}

QLayout *SettingsPage::buildApplyRow()
{
    // Apply stays in view however far the page is scrolled.
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("applyStatusLabel"));
    m_status->setWordWrap(true);
    m_revertButton = new QPushButton(tr("Re&vert"), this);
    m_revertButton->setObjectName(QStringLiteral("revertButton"));
    m_revertButton->setAccessibleName(tr("Revert settings"));
    m_revertButton->setToolTip(tr("Puts the stored settings back into the fields"));
    m_applyButton = new QPushButton(tr("A&pply"), this);
    m_applyButton->setObjectName(QStringLiteral("applyButton"));
    m_applyButton->setAccessibleName(tr("Apply settings"));
    m_applyButton->setToolTip(
        tr("Stores the changes (Ctrl+S); the receiver restarts if its settings changed"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_status, 1);
    buttons->addWidget(m_revertButton);
    buttons->addWidget(m_applyButton);
    return buttons;
}

// The local API (ARCHITECTURE §5.7): off by default, on loopback unless the user names another
// address; its tokens are made with `hooktrail token add`.
QGroupBox *SettingsPage::buildApiGroup(QWidget *parent)
{
    auto *apiBox = new QGroupBox(tr("Local API"), parent);
    m_apiEnabledCheck = new QCheckBox(tr("Serve the local &API"), apiBox);
    m_apiEnabledCheck->setObjectName(QStringLiteral("apiEnabledCheck"));
    m_apiEnabledCheck->setToolTip(
        tr("An HTTP API over the history for test suites and scripts: list, wait for and "
           "stream requests, replay them, and metrics for Prometheus."));
    m_apiListenEdit = new QLineEdit(apiBox);
    m_apiListenEdit->setObjectName(QStringLiteral("apiListenEdit"));
    m_apiListenEdit->setAccessibleName(tr("API listen address and port"));
    m_apiListenEdit->setPlaceholderText(QString::fromLatin1(Settings::DefaultApiListen));
    m_apiListenProblem = new ProblemLabel(QStringLiteral("apiListenProblem"), apiBox);
    auto *listenHint = hintLabel(
        tr("ADDR:PORT, e.g. 127.0.0.1:8485 (this computer only) or [::1]:8485. Every call "
           "needs a token: hooktrail token add --name NAME [--read-only]."),
        apiBox);
    m_apiMetricsTokenCheck = new QCheckBox(tr("/metrics needs a &token too"), apiBox);
    m_apiMetricsTokenCheck->setObjectName(QStringLiteral("apiMetricsTokenCheck"));
    m_apiMetricsTokenCheck->setToolTip(
        tr("Off: a Prometheus server may scrape the metrics without a token."));
    m_apiOutcome = new QLabel(apiBox);
    m_apiOutcome->setObjectName(QStringLiteral("apiOutcomeLabel"));
    m_apiOutcome->setWordWrap(true);
    m_apiOutcome->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_apiProblem = new ProblemLabel(QStringLiteral("apiProblem"), apiBox);
    for (QCheckBox *check : { m_apiEnabledCheck, m_apiMetricsTokenCheck })
        connect(check, &QCheckBox::toggled, this, &SettingsPage::validate);
    connect(m_apiListenEdit, &QLineEdit::textChanged, this, &SettingsPage::validate);
    connect(m_apiEnabledCheck, &QCheckBox::toggled, this, [this](bool on) {
        m_apiListenEdit->setEnabled(on);
        m_apiMetricsTokenCheck->setEnabled(on);
    });

    // Each check box only as wide as its text, as on the rest of the page.
    const auto alone = [](QWidget *widget) {
        auto *row = new QHBoxLayout;
        row->addWidget(widget);
        row->addStretch(1);
        return row;
    };
    auto *form = new QFormLayout(apiBox);
    form->addRow(alone(m_apiEnabledCheck));
    form->addRow(tr("State:"), fieldColumn({ m_apiOutcome, m_apiProblem }));
    form->addRow(buddyLabel(tr("API &listens on:"), m_apiListenEdit),
        fieldColumn({ m_apiListenEdit, listenHint, m_apiListenProblem }));
    form->addRow(alone(m_apiMetricsTokenCheck));
    return apiBox;
}

namespace {
QString apiListenProblem(const QString &text)
{
    QHostAddress address;
    quint16 port = 0;
    if (text.trimmed().isEmpty() || Settings::parseListen(text.trimmed(), &address, &port))
        return {};
    return SettingsPage::tr("Write the address and port as ADDR:PORT, e.g. 127.0.0.1:8485.");
}
} // namespace

void SettingsPage::showApiOutcome(bool running, const QString &message)
{
    m_apiOutcome->setText(running ? message : tr("Not serving."));
    m_apiProblem->setProblem(running ? QString() : message);
}

SettingsPage::Values SettingsPage::storedValues() const
{
    const Settings *settings = m_context.settings;
    Values values;
    values.address = settings->listenAddress().toString();
    values.port = settings->listenPort();
    values.publicBaseUrl = settings->publicBaseUrl();
    values.bodyLimitMiB = int(std::clamp<qint64>((settings->maxBodyBytes() + MiB / 2) / MiB,
        m_bodyLimitSpin->minimum(), m_bodyLimitSpin->maximum()));
    values.idleTimeoutSeconds = std::clamp((settings->idleTimeoutMs() + 500) / 1000,
        m_idleTimeoutSpin->minimum(), m_idleTimeoutSpin->maximum());
    for (const auto &entry : entriesOf(settings->trustedProxies().join(u'\n')))
        values.trustedProxies.append(entry.second);
    values.tlsCertificate = settings->tlsCertificateFile();
    values.tlsKey = settings->tlsKeyFile();
    values.retentionDays = std::clamp(settings->retentionDays(), 0, MaxRetentionDays);
    values.retentionCount
        = int(std::clamp<qint64>(settings->retentionCount(), 0, std::numeric_limits<int>::max()));
    values.language = settings->language();
    values.sharedDatabase = settings->sharedDatabase();
    values.keepFreeMiB = int(std::clamp<qint64>(
        (settings->keepFreeBytes() + MiB / 2) / MiB, 0, m_keepFreeSpin->maximum()));
    values.apiEnabled = settings->apiEnabled();
    values.apiListen = settings->apiListen();
    values.apiMetricsNeedToken = settings->apiMetricsNeedToken();
    return values;
}

SettingsPage::Values SettingsPage::fieldValues() const
{
    Values values;
    values.address = m_addressEdit->text().trimmed();
    values.port = m_portSpin->value();
    values.publicBaseUrl = m_publicBaseUrlEdit->text().trimmed();
    while (values.publicBaseUrl.endsWith(u'/')) // stored without, so "x/" is no change from "x"
        values.publicBaseUrl.chop(1);
    values.bodyLimitMiB = m_bodyLimitSpin->value();
    values.idleTimeoutSeconds = m_idleTimeoutSpin->value();
    for (const auto &entry : entriesOf(m_trustedProxiesEdit->toPlainText()))
        values.trustedProxies.append(entry.second);
    values.tlsCertificate = m_tlsCertificateEdit->text().trimmed();
    values.tlsKey = m_tlsKeyEdit->text().trimmed();
    values.retentionDays = chosenValue(m_retentionDaysCombo, m_retentionDaysEdit, MaxRetentionDays);
    values.retentionCount
        = chosenValue(m_retentionCountCombo, m_retentionCountEdit, std::numeric_limits<int>::max());
    values.language = m_languageCombo->currentData().toString();
    values.sharedDatabase = m_databaseEdit->text().trimmed();
    values.keepFreeMiB = m_keepFreeSpin->value();
    values.apiEnabled = m_apiEnabledCheck->isChecked();
    values.apiListen = m_apiListenEdit->text().trimmed().isEmpty()
        ? QString::fromLatin1(Settings::DefaultApiListen)
        : m_apiListenEdit->text().trimmed();
    values.apiMetricsNeedToken = m_apiMetricsTokenCheck->isChecked();
    return values;
}

void SettingsPage::showValues(const Values &values)
{
    // Half-filled fields are not worth judging; the caller validates once they are all set.
    const QScopedValueRollback<bool> loading(m_loading, true);
    m_addressEdit->setText(values.address);
    m_portSpin->setValue(values.port);
    m_publicBaseUrlEdit->setText(values.publicBaseUrl);
    m_bodyLimitSpin->setValue(values.bodyLimitMiB);
    m_idleTimeoutSpin->setValue(values.idleTimeoutSeconds);
    m_trustedProxiesEdit->setPlainText(values.trustedProxies.join(u'\n'));
    m_tlsCertificateEdit->setText(values.tlsCertificate);
    m_tlsKeyEdit->setText(values.tlsKey);
    showChoice(m_retentionDaysCombo, m_retentionDaysEdit, values.retentionDays);
    showChoice(m_retentionCountCombo, m_retentionCountEdit, values.retentionCount);
    int languageIndex = m_languageCombo->findData(values.language);
    if (languageIndex < 0) { // set by hand or by a later version: keep it choosable
        m_languageCombo->addItem(values.language, values.language);
        languageIndex = m_languageCombo->count() - 1;
    }
    m_languageCombo->setCurrentIndex(languageIndex);
    m_databaseEdit->setText(values.sharedDatabase);
    m_keepFreeSpin->setValue(values.keepFreeMiB);
    m_apiEnabledCheck->setChecked(values.apiEnabled);
    m_apiListenEdit->setText(values.apiListen);
    m_apiListenEdit->setEnabled(values.apiEnabled);
    m_apiMetricsTokenCheck->setChecked(values.apiMetricsNeedToken);
    m_apiMetricsTokenCheck->setEnabled(values.apiEnabled);
}

bool SettingsPage::hasChanges() const
{
    return !(fieldValues() == m_stored);
}

bool SettingsPage::isValid() const
{
    const Values fields = fieldValues();
    return addressProblem(m_addressEdit->text()).isEmpty()
        && publicBaseUrlProblem(m_publicBaseUrlEdit->text()).isEmpty()
        && trustedProxyProblems(m_trustedProxiesEdit->toPlainText()).isEmpty()
        && tlsProblem(fields.tlsCertificate, fields.tlsKey).isEmpty()
        && Settings::sharedDatabaseProblem(m_databaseEdit->text()).isEmpty()
        && apiListenProblem(m_apiListenEdit->text()).isEmpty()
        && retentionProblem(fields.retentionDays, fields.retentionCount).isEmpty();
}

void SettingsPage::validate()
{
    if (m_loading)
        return;
    m_addressProblem->setProblem(addressProblem(m_addressEdit->text()));
    m_publicBaseUrlProblem->setProblem(publicBaseUrlProblem(m_publicBaseUrlEdit->text()));
    m_trustedProxiesProblem->setProblems(trustedProxyProblems(m_trustedProxiesEdit->toPlainText()));
    m_databaseProblem->setProblem(Settings::sharedDatabaseProblem(m_databaseEdit->text()));
    m_tlsProblem->setProblem(
        tlsProblem(m_tlsCertificateEdit->text().trimmed(), m_tlsKeyEdit->text().trimmed()));
    m_apiListenProblem->setProblem(apiListenProblem(m_apiListenEdit->text()));
    const Values fields = fieldValues();
    m_retentionProblem->setProblem(retentionProblem(fields.retentionDays, fields.retentionCount));
    const bool valid = isValid();
    const bool changed = hasChanges();
    m_applyButton->setEnabled(valid && changed && !m_confirming);
    m_revertButton->setEnabled(changed);
    if (!valid)
        m_status->setText(tr("Fix the problems named above to apply."));
    else if (changed)
        m_status->setText(tr("Changes not applied yet."));
    else if (!m_justApplied)
        m_status->clear();
}

void SettingsPage::apply()
{
    if (m_confirming || !isValid() || !hasChanges())
        return;
    const Values values = fieldValues();
    const bool retentionChanged = values.retentionDays != m_stored.retentionDays
        || values.retentionCount != m_stored.retentionCount;
    if (!retentionChanged || (values.retentionDays == 0 && values.retentionCount == 0)
        || !m_context.store) {
        save(values);
        return;
    }
    // Nothing is stored until the store has said how many requests the new retention deletes
    // (counted on its own thread: the history may hold millions) and the user agreed to it.
    m_confirming = true;
    validate();
    m_status->setText(tr("Counting the requests the new retention deletes…"));
    m_context.store->read(
        this,
        [days = values.retentionDays, count = values.retentionCount](
            Store &store) { return store.retention().countRemovable(days, count); },
        [this, values](const Result<qint64> &removable) {
            if (!removable) {
                m_confirming = false;
                validate();
                m_status->setText(
                    tr("Not applied: cannot count the requests the new retention deletes. %1")
                        .arg(removable.error()));
            } else if (!(fieldValues() == values)) { // edited meanwhile: the count is stale
                m_confirming = false;
                validate();
            } else if (*removable == 0) {
                m_confirming = false;
                save(values);
            } else {
                confirmRetention(values, *removable);
            }
        });
}

void SettingsPage::confirmRetention(const Values &values, qint64 removable)
{
    const int n = int(std::min<qint64>(removable, std::numeric_limits<int>::max()));
    Confirmation confirmation(this, QStringLiteral("retentionConfirmation"), tr("Apply retention"),
        tr("Apply and delete %Ln request(s) now?", nullptr, n),
        tr("The new retention deletes them from the history at once; this cannot be undone. "
           "Cancel keeps every request and the current retention."));
    QPushButton *remove = confirmation.addAction(tr("Delete %Ln request(s)", nullptr, n),
        QMessageBox::DestructiveRole, QStringLiteral("deleteRequestsButton"), [this, values] {
            m_confirming = false;
            if (fieldValues() == values)
                save(values);
            else
                validate();
        });
    QMessageBox *box = confirmation.open();
    connect(box, &QMessageBox::buttonClicked, this, [this, remove](QAbstractButton *clicked) {
        if (clicked == remove)
            return;
        m_confirming = false;
        validate();
        m_status->setText(tr("Not applied: no request was deleted."));
    });
}

void SettingsPage::save(const Values &values)
{
    const Values before = m_stored;
    Settings *settings = m_context.settings;
    m_applying = true;
    if (values.address != before.address || values.port != before.port)
        settings->setListen(QHostAddress(values.address), quint16(values.port));
    if (values.publicBaseUrl != before.publicBaseUrl)
        settings->setPublicBaseUrl(values.publicBaseUrl);
    // Only what was edited is written, so a limit stored in bytes that is not a whole number of
    // MiB survives an unrelated change.
    if (values.bodyLimitMiB != before.bodyLimitMiB)
        settings->setMaxBodyBytes(values.bodyLimitMiB * MiB);
    if (values.idleTimeoutSeconds != before.idleTimeoutSeconds)
        settings->setIdleTimeoutMs(values.idleTimeoutSeconds * 1000);
    if (values.trustedProxies != before.trustedProxies)
        settings->setTrustedProxies(values.trustedProxies);
    if (values.tlsCertificate != before.tlsCertificate || values.tlsKey != before.tlsKey)
        settings->setTls(values.tlsCertificate, values.tlsKey);
    if (values.retentionDays != before.retentionDays
        || values.retentionCount != before.retentionCount)
        settings->setRetention(values.retentionDays, values.retentionCount);
    if (values.language != before.language)
        settings->setLanguage(values.language);
    if (values.sharedDatabase != before.sharedDatabase)
        settings->setSharedDatabase(values.sharedDatabase);
    if (values.keepFreeMiB != before.keepFreeMiB)
        settings->setKeepFreeBytes(values.keepFreeMiB * MiB);
    if (values.apiDiffers(before))
        settings->setApi(values.apiEnabled, values.apiListen, values.apiMetricsNeedToken);
    m_applying = false;

    m_stored = storedValues();
    m_justApplied = true;
    showValues(m_stored);
    updateDefaultBaseUrl();
    m_status->setText(values.language != before.language
            ? tr("Saved. The new language is used when Hooktrail restarts.")
            : values.sharedDatabase != before.sharedDatabase
            ? tr("Saved. The new database is used when Hooktrail restarts.")
            : tr("Saved."));
    validate();
    m_justApplied = false;
    if (values.receiverDiffers(before)) {
        m_outcome->setText(tr("Restarting the receiver…"));
        emit receiverSettingsChanged();
    }
    if (values.apiDiffers(before))
        emit apiSettingsChanged();
}

void SettingsPage::revert()
{
    m_stored = storedValues();
    showValues(m_stored);
    validate();
}

void SettingsPage::showReceiverOutcome(bool listening, const QString &message)
{
    if (listening) {
        m_outcome->setText(message);
        m_receiverProblem->setProblem(QString());
    } else {
        m_outcome->setText(tr("Not receiving."));
        m_receiverProblem->setProblem(
            tr("%1\nChoose another address or port (0: any free port) and apply again; the history "
               "stays readable meanwhile.")
                .arg(message));
    }
    updateDefaultBaseUrl();
}

void SettingsPage::updateDefaultBaseUrl()
{
    const Receiver *receiver = m_context.engine ? m_context.engine->receiver() : nullptr;
    const QString base = receiver && receiver->isListening()
        ? m_context.settings->defaultBaseUrl(receiver->endpointPort(), receiver->endpointScheme())
        : m_context.settings->defaultBaseUrl();
    m_publicBaseUrlEdit->setPlaceholderText(tr("Default: %1").arg(base));
}

void SettingsPage::browseTlsFile(QLineEdit *edit, const QString &caption)
{
    const QString start = edit->text().trimmed().isEmpty()
        ? QDir(m_context.settings->dataDir()).filePath(QStringLiteral("tls"))
        : edit->text().trimmed();
    const QString chosen = QFileDialog::getOpenFileName(
        this, caption, start, tr("PEM files (*.pem *.crt *.key);;All files (*)"));
    if (!chosen.isEmpty())
        edit->setText(QDir::toNativeSeparators(chosen));
}

void SettingsPage::createSelfSigned()
{
    auto *dialog = new QInputDialog(this);
    dialog->setObjectName(QStringLiteral("selfSignedHostDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Self-signed certificate"));
    dialog->setLabelText(tr("Host name or IP address senders use to reach this receiver:"));
    dialog->setTextValue(QStringLiteral("localhost"));
    connect(dialog, &QInputDialog::textValueSelected, this,
        [this](const QString &host) { writeSelfSigned(host.trimmed(), false); });
    dialog->open();
}

void SettingsPage::writeSelfSigned(const QString &host, bool replace)
{
    if (const QString problem = Certificates::hostProblem(host); !problem.isEmpty()) {
        m_tlsProblem->setProblem(problem);
        return;
    }
    const QString folder = QDir(m_context.settings->dataDir()).filePath(QStringLiteral("tls"));
    if (!replace && QFileInfo::exists(QDir(folder).filePath(QStringLiteral("certificate.pem")))) {
        Confirmation confirmation(this, QStringLiteral("replaceCertificateConfirmation"),
            tr("Replace the certificate?"),
            tr("The data folder already holds a self-signed certificate."),
            tr("Senders that trust it will have to trust the new one."));
        confirmation.addAction(tr("&Replace"), QMessageBox::DestructiveRole,
            QStringLiteral("replaceButton"), [this, host] { writeSelfSigned(host, true); });
        confirmation.open();
        return;
    }
    const Result<Certificates::Written> written
        = Certificates::writeSelfSigned(host, 365, folder, replace);
    if (!written) {
        m_tlsProblem->setProblem(written.error());
        return;
    }
    m_tlsCertificateEdit->setText(QDir::toNativeSeparators(written->certificateFile));
    m_tlsKeyEdit->setText(QDir::toNativeSeparators(written->keyFile));
    m_status->setText(tr("Certificate for %1 created, valid 365 days. Apply to use it.").arg(host));
}

} // namespace Hooktrail
