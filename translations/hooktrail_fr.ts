<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>Hooktrail::ApiKeyListModel</name>
    <message>
        <source>Never</source>
        <translation>Jamais</translation>
    </message>
    <message>
        <source>Revoked</source>
        <translation>Révoquée</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Active</translation>
    </message>
    <message>
        <source>Requests with this key are refused.</source>
        <translation>Les requêtes utilisant cette clé sont refusées.</translation>
    </message>
    <message>
        <source>Prefix</source>
        <translation>Préfixe</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Création</translation>
    </message>
    <message>
        <source>Last used</source>
        <translation>Dernière utilisation</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
</context>
<context>
    <name>Hooktrail::Authentication</name>
    <message>
        <source>&apos;verification&apos; must be an object with a &apos;preset&apos;.</source>
        <translation>«&#xa0;verification&#xa0;» doit être un objet avec un champ «&#xa0;preset&#xa0;».</translation>
    </message>
    <message>
        <source>&apos;preset&apos; must be one of github, stripe, shopify, slack, standard, hmac.</source>
        <translation>«&#xa0;preset&#xa0;» doit valoir github, stripe, shopify, slack, standard ou hmac.</translation>
    </message>
    <message>
        <source>&apos;tolerance&apos; must be a number of seconds.</source>
        <translation>«&#xa0;tolerance&#xa0;» doit être un nombre de secondes.</translation>
    </message>
    <message>
        <source>&apos;algorithm&apos; must be sha1, sha256 or sha512.</source>
        <translation>«&#xa0;algorithm&#xa0;» doit valoir sha1, sha256 ou sha512.</translation>
    </message>
    <message>
        <source>&apos;encoding&apos; must be hex or base64.</source>
        <translation>«&#xa0;encoding&#xa0;» doit valoir hex ou base64.</translation>
    </message>
    <message>
        <source>Add the secret the sender signs with.</source>
        <translation>Ajoutez le secret avec lequel l’expéditeur signe.</translation>
    </message>
    <message>
        <source>Keep at most %1 secrets.</source>
        <translation>Conservez au plus %1&#xa0;secrets.</translation>
    </message>
    <message>
        <source>Secret %1 is empty.</source>
        <translation>Le secret %1 est vide.</translation>
    </message>
    <message>
        <source>Secret %1 is longer than %2 bytes.</source>
        <translation>Le secret %1 dépasse %2&#xa0;octets.</translation>
    </message>
    <message>
        <source>Secret %1 has spaces around it or a control character.</source>
        <translation>Le secret %1 contient des espaces en début ou en fin, ou un caractère de contrôle.</translation>
    </message>
    <message>
        <source>Secret %1 is not a Standard Webhooks secret (whsec_ followed by base64).</source>
        <translation>Le secret %1 n’est pas un secret Standard Webhooks (whsec_ suivi de base64).</translation>
    </message>
    <message>
        <source>Secret %1 is there twice.</source>
        <translation>Le secret %1 figure deux fois.</translation>
    </message>
    <message>
        <source>Choose a tolerance from 1 second to 7 days.</source>
        <translation>Choisissez une tolérance de 1&#xa0;seconde à 7&#xa0;jours.</translation>
    </message>
    <message>
        <source>Enter the name of the header that carries the signature.</source>
        <translation>Saisissez le nom de l’en-tête qui contient la signature.</translation>
    </message>
    <message>
        <source>The prefix has spaces around it, a control character or over 100 characters.</source>
        <translation>Le préfixe contient des espaces en début ou en fin, un caractère de contrôle ou plus de 100&#xa0;caractères.</translation>
    </message>
    <message>
        <source>The timestamp header is not a header name.</source>
        <translation>Le nom de l’en-tête d’horodatage n’est pas valide.</translation>
    </message>
    <message>
        <source>The signed payload must hold {timestamp} and {body}, such as {timestamp}.{body}.</source>
        <translation>Le contenu signé doit contenir {timestamp} et {body}, par exemple {timestamp}.{body}.</translation>
    </message>
    <message>
        <source>The signed payload is over 200 characters.</source>
        <translation>Le contenu signé dépasse 200&#xa0;caractères.</translation>
    </message>
    <message>
        <source>&apos;response&apos; must be an object.</source>
        <translation>«&#xa0;response&#xa0;» doit être un objet.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; must be a number.</source>
        <translation>«&#xa0;%1&#xa0;» doit être un nombre.</translation>
    </message>
    <message>
        <source>&apos;headers&apos; must be a list of [name, value] pairs.</source>
        <translation>«&#xa0;headers&#xa0;» doit être une liste de paires [nom, valeur].</translation>
    </message>
    <message>
        <source>Choose a status from 100 to 599.</source>
        <translation>Choisissez un statut de 100 à 599.</translation>
    </message>
    <message>
        <source>Keep the body under 64 KiB.</source>
        <translation>Limitez le corps à moins de 64&#xa0;Kio.</translation>
    </message>
    <message>
        <source>The content type has a line break or a control character, or is over 200 characters.</source>
        <translation>Le type de contenu contient un saut de ligne ou un caractère de contrôle, ou dépasse 200&#xa0;caractères.</translation>
    </message>
    <message>
        <source>Use at most %1 headers.</source>
        <translation>Utilisez au plus %1&#xa0;en-têtes.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a header name: use letters, digits and - only.</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas un nom d’en-tête&#xa0;: utilisez uniquement des lettres, des chiffres et -.</translation>
    </message>
    <message>
        <source>%1 is set by Hooktrail for each answer and cannot be added.</source>
        <translation>%1 est fixé par Hooktrail à chaque réponse et ne peut pas être ajouté.</translation>
    </message>
    <message>
        <source>The value of %1 has a line break or a control character, or is over 8,192 characters.</source>
        <translation>La valeur de %1 contient un saut de ligne ou un caractère de contrôle, ou dépasse 8&#xa0;192&#xa0;caractères.</translation>
    </message>
    <message>
        <source>Choose a delay from 0 to 30 seconds.</source>
        <translation>Choisissez un délai de 0 à 30&#xa0;secondes.</translation>
    </message>
</context>
<context>
    <name>Hooktrail::AuthenticationSection</name>
    <message>
        <source>X-Hub-Signature-256: sha256= and the hex HMAC-SHA256 of the body, with the webhook&apos;s secret.</source>
        <translation>X-Hub-Signature-256&#xa0;: sha256= suivi du HMAC-SHA256 du corps en hexadécimal, calculé avec le secret du webhook.</translation>
    </message>
    <message>
        <source>Stripe-Signature: t=&lt;time&gt;,v1=&lt;hex HMAC-SHA256 of &quot;&lt;time&gt;.&lt;body&gt;&quot;&gt;, with the endpoint&apos;s signing secret (whsec_…).</source>
        <translation>Stripe-Signature&#xa0;: t=&lt;heure&gt;,v1=&lt;HMAC-SHA256 en hexadécimal de «&#xa0;&lt;heure&gt;.&lt;corps&gt;&#xa0;»&gt;, calculé avec le secret de signature du point de terminaison (whsec_…).</translation>
    </message>
    <message>
        <source>X-Shopify-Hmac-Sha256: the base64 HMAC-SHA256 of the body, with the app&apos;s client secret.</source>
        <translation>X-Shopify-Hmac-Sha256&#xa0;: le HMAC-SHA256 du corps en base64, calculé avec le secret client de l’application.</translation>
    </message>
    <message>
        <source>X-Slack-Signature: v0= and the hex HMAC-SHA256 of &quot;v0:&lt;timestamp&gt;:&lt;body&gt;&quot;, with X-Slack-Request-Timestamp, and the app&apos;s signing secret.</source>
        <translation>X-Slack-Signature&#xa0;: v0= suivi du HMAC-SHA256 en hexadécimal de «&#xa0;v0:&lt;horodatage&gt;:&lt;corps&gt;&#xa0;», accompagné de X-Slack-Request-Timestamp, et calculé avec le secret de signature de l’application.</translation>
    </message>
    <message>
        <source>webhook-id, webhook-timestamp and webhook-signature (v1,&lt;base64&gt;), or the same svix- headers, over &quot;&lt;id&gt;.&lt;timestamp&gt;.&lt;body&gt;&quot;; the secret starts with whsec_.</source>
        <translation>En-têtes webhook-id, webhook-timestamp et webhook-signature (v1,&lt;base64&gt;), ou les mêmes préfixés svix-, la signature portant sur «&#xa0;&lt;id&gt;.&lt;horodatage&gt;.&lt;corps&gt;&#xa0;»&#xa0;; le secret commence par whsec_.</translation>
    </message>
    <message>
        <source>A header of your choosing holds the prefix and the HMAC of the body, or of a payload made of a timestamp header and the body.</source>
        <translation>Un en-tête de votre choix contient le préfixe et le HMAC du corps, ou d’un contenu formé d’un en-tête d’horodatage et du corps.</translation>
    </message>
    <message>
        <source>Authentication</source>
        <translation>Authentification</translation>
    </message>
    <message>
        <source>API key (the Octolis contract)</source>
        <translation>Clé API (le contrat Octolis)</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>Signature seule</translation>
    </message>
    <message>
        <source>API key and signature</source>
        <translation>Clé API et signature</translation>
    </message>
    <message>
        <source>What a sender proves: the API key in the URL or the X-Api-Key header, a provider&apos;s signature over the body, or both. A request without it is answered 401.</source>
        <translation>Ce que l’expéditeur doit prouver&#xa0;: la clé API dans l’URL ou dans l’en-tête X-Api-Key, la signature du corps par un fournisseur, ou les deux. Une requête sans cette preuve reçoit la réponse 401.</translation>
    </message>
    <message>
        <source>A&amp;uthentication:</source>
        <translation>Aut&amp;hentification&#xa0;:</translation>
    </message>
    <message>
        <source>Signature scheme</source>
        <translation>Schéma de signature</translation>
    </message>
    <message>
        <source>Standard Webhooks / Svix</source>
        <translation>Standard Webhooks ou Svix</translation>
    </message>
    <message>
        <source>Generic HMAC</source>
        <translation>HMAC générique</translation>
    </message>
    <message>
        <source>Sig&amp;ned as:</source>
        <translation>Format de si&amp;gnature&#xa0;:</translation>
    </message>
    <message>
        <source>Secrets</source>
        <translation>Liste des secrets</translation>
    </message>
    <message>
        <source>Any one of these verifies a request, so a rotation keeps both the old and the new secret for a while. A secret is never shown again once added.</source>
        <translation>Chacun de ces secrets suffit à vérifier une requête&#xa0;: lors d’une rotation, vous pouvez donc garder quelque temps l’ancien et le nouveau secret. Une fois ajouté, un secret n’est plus jamais affiché.</translation>
    </message>
    <message>
        <source>New secret</source>
        <translation>Nouveau secret</translation>
    </message>
    <message>
        <source>Paste the secret the sender signs with</source>
        <translation>Collez le secret avec lequel l’expéditeur signe</translation>
    </message>
    <message>
        <source>Add s&amp;ecret</source>
        <translation>A&amp;jouter le secret</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <source>Remove the selected secrets</source>
        <translation>Supprimer les secrets sélectionnés</translation>
    </message>
    <message>
        <source>Secre&amp;ts:</source>
        <translation>Se&amp;crets&#xa0;:</translation>
    </message>
    <message>
        <source>Tolerance in seconds</source>
        <translation>Tolérance en secondes</translation>
    </message>
    <message>
        <source> s</source>
        <translation>&#xa0;s</translation>
    </message>
    <message>
        <source>How far the signed timestamp may be from now, either way; older requests are answered 401 signature_expired.</source>
        <translation>Écart maximal entre l’horodatage signé et l’heure actuelle, dans un sens comme dans l’autre&#xa0;; au-delà, les requêtes reçoivent la réponse 401 signature_expired.</translation>
    </message>
    <message>
        <source>Tolerance:</source>
        <translation>Tolérance&#xa0;:</translation>
    </message>
    <message>
        <source>Signature header</source>
        <translation>En-tête de signature</translation>
    </message>
    <message>
        <source>Header:</source>
        <translation>En-tête&#xa0;:</translation>
    </message>
    <message>
        <source>HMAC algorithm</source>
        <translation>Algorithme HMAC</translation>
    </message>
    <message>
        <source>Signature encoding</source>
        <translation>Encodage de la signature</translation>
    </message>
    <message>
        <source>hex</source>
        <translation>hexadécimal</translation>
    </message>
    <message>
        <source>base64</source>
        <translation>Base64</translation>
    </message>
    <message>
        <source>Algorithm:</source>
        <translation>Algorithme&#xa0;:</translation>
    </message>
    <message>
        <source>Signature prefix</source>
        <translation>Préfixe de signature</translation>
    </message>
    <message>
        <source>e.g. sha256= (optional)</source>
        <translation>p. ex. sha256= (facultatif)</translation>
    </message>
    <message>
        <source>Prefix:</source>
        <translation>Préfixe&#xa0;:</translation>
    </message>
    <message>
        <source>Timestamp header</source>
        <translation>En-tête d’horodatage</translation>
    </message>
    <message>
        <source>optional: the header with the signed Unix time</source>
        <translation>facultatif&#xa0;: l’en-tête contenant l’heure Unix signée</translation>
    </message>
    <message>
        <source>Timestamp header:</source>
        <translation>En-tête d’horodatage&#xa0;:</translation>
    </message>
    <message>
        <source>Signed payload</source>
        <translation>Contenu signé</translation>
    </message>
    <message>
        <source>With a timestamp header: what is signed, {timestamp} and {body} replaced, e.g. {timestamp}.{body}.</source>
        <translation>Avec un en-tête d’horodatage&#xa0;: ce qui est signé, {timestamp} et {body} étant remplacés, p. ex. {timestamp}.{body}.</translation>
    </message>
    <message>
        <source>Signed payload:</source>
        <translation>Contenu signé&#xa0;:</translation>
    </message>
    <message numerus="yes">
        <source>Secret %1: •••••••• (%n characters)</source>
        <translation>
            <numerusform>Secret %1&#xa0;: •••••••• (%n&#xa0;caractère)</numerusform>
            <numerusform>Secret %1&#xa0;: •••••••• (%n&#xa0;caractères)</numerusform>
        </translation>
    </message>
    <message>
        <source>No secret yet: add the one the sender signs with.</source>
        <translation>Aucun secret pour l’instant&#xa0;: ajoutez celui avec lequel l’expéditeur signe.</translation>
    </message>
</context>
<context>
    <name>Hooktrail::BodyView</name>
    <message>
        <source>Show &amp;all</source>
        <translation>Tout a&amp;fficher</translation>
    </message>
    <message>
        <source>Show all of %1</source>
        <translation>Tout afficher&#xa0;: %1</translation>
    </message>
    <message>
        <source>Body</source>
        <translation>Corps</translation>
    </message>
    <message>
        <source>Show the whole content; a very large one takes a moment</source>
        <translation>Afficher tout le contenu&#xa0;; un contenu très volumineux demande un moment</translation>
    </message>
    <message>
        <source>Form fields</source>
        <translation>Champs de formulaire</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Champ</translation>
    </message>
    <message>
        <source>No body.</source>
        <translation>Aucun corps.</translation>
    </message>
    <message numerus="yes">
        <source>Form fields, decoded: %n</source>
        <translation>
            <numerusform>Champ de formulaire, décodé&#xa0;: %n</numerusform>
            <numerusform>Champs de formulaire, décodés&#xa0;: %n</numerusform>
        </translation>
    </message>
    <message>
        <source>Binary content (%1), shown in hexadecimal.</source>
        <translation>Contenu binaire (%1), affiché en hexadécimal.</translation>
    </message>
    <message>
        <source>Showing the first %1 of %2, as received.</source>
        <translation>Seuls les premiers %1 sur %2 sont affichés, tels que reçus.</translation>
    </message>
    <message>
        <source>The receiver kept %1 of the %2 sent.</source>
        <translation>Le récepteur a conservé %1 sur les %2 envoyés.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Body as a tree</source>
        <translation>Corps en arbre</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Texte</translation>
    </message>
    <message>
        <source>The body as text, JSON and XML indented</source>
        <translation>Le corps en texte, JSON et XML indentés</translation>
    </message>
    <message>
        <source>Tree</source>
        <translation>Arbre</translation>
    </message>
    <message>
        <source>A JSON body as a tree of keys, values and types</source>
        <translation>Un corps JSON en arbre de clés, de valeurs et de types</translation>
    </message>
    <message>
        <source>Expand all</source>
        <translation>Tout déplier</translation>
    </message>
    <message>
        <source>Collapse all</source>
        <translation>Tout replier</translation>
    </message>
    <message>
        <source>Copy body</source>
        <translation>Copier le corps</translation>
    </message>
    <message>
        <source>Copy the body exactly as received (Copy tab copies it as shown, indented)</source>
        <translation>Copier le corps exactement tel que reçu (Copier l’onglet le copie tel qu’affiché, indenté)</translation>
    </message>
    <message>
        <source>Stop formatting; what is shown so far stays</source>
        <translation>Arrêter la mise en forme&#xa0;; ce qui est déjà affiché reste</translation>
    </message>
    <message>
        <source>Shown as received.</source>
        <translation>Affiché tel que reçu.</translation>
    </message>
    <message>
        <source>That place is past the part shown.</source>
        <translation>Cet endroit se trouve après la partie affichée.</translation>
    </message>
    <message>
        <source>Not valid JSON: %1</source>
        <translation>JSON non valide&#xa0;: %1</translation>
    </message>
    <message>
        <source>Not well-formed XML: %1</source>
        <translation>XML mal formé&#xa0;: %1</translation>
    </message>
    <message>
        <source>expected a value (object, array, string, number, true, false or null)</source>
        <translation>une valeur était attendue (objet, tableau, chaîne, nombre, true, false ou null)</translation>
    </message>
    <message>
        <source>expected an object key in double quotes</source>
        <translation>une clé d’objet entre guillemets doubles était attendue</translation>
    </message>
    <message>
        <source>expected &apos;:&apos; after an object key</source>
        <translation>«&#xa0;:&#xa0;» était attendu après une clé d’objet</translation>
    </message>
    <message>
        <source>expected &apos;,&apos; or &apos;}&apos; after an object member</source>
        <translation>«&#xa0;,&#xa0;» ou «&#xa0;}&#xa0;» était attendu après un membre d’objet</translation>
    </message>
    <message>
        <source>expected &apos;,&apos; or &apos;]&apos; after an array element</source>
        <translation>«&#xa0;,&#xa0;» ou «&#xa0;]&#xa0;» était attendu après un élément de tableau</translation>
    </message>
    <message>
        <source>expected another element after &apos;,&apos; (JSON has no trailing commas)</source>
        <translation>un autre élément était attendu après «&#xa0;,&#xa0;» (JSON n’admet pas de virgule finale)</translation>
    </message>
    <message>
        <source>expected true, false or null</source>
        <translation>true, false ou null était attendu</translation>
    </message>
    <message>
        <source>expected a digit in a number</source>
        <translation>un chiffre était attendu dans un nombre</translation>
    </message>
    <message>
        <source>a string starts here and is never closed</source>
        <translation>une chaîne commence ici et n’est jamais fermée</translation>
    </message>
    <message>
        <source>a control character in a string must be escaped</source>
        <translation>un caractère de contrôle doit être échappé dans une chaîne</translation>
    </message>
    <message>
        <source>an unknown escape sequence in a string</source>
        <translation>une séquence d’échappement inconnue dans une chaîne</translation>
    </message>
    <message>
        <source>expected four hexadecimal digits after \u</source>
        <translation>quatre chiffres hexadécimaux étaient attendus après \u</translation>
    </message>
    <message>
        <source>a string holds bytes that are not UTF-8</source>
        <translation>une chaîne contient des octets qui ne sont pas de l’UTF-8</translation>
    </message>
    <message>
        <source>nested more than %1 levels deep</source>
        <translation>plus de %1 niveaux d’imbrication</translation>
    </message>
    <message>
        <source>expected the end of the body after the JSON value</source>
        <translation>la fin du corps était attendue après la valeur JSON</translation>
    </message>
    <message>
        <source>expected a root element</source>
        <translation>un élément racine était attendu</translation>
    </message>
    <message>
        <source>an element is not closed</source>
        <translation>un élément n’est pas fermé</translation>
    </message>
    <message>
        <source>expected the end of the body after the root element</source>
        <translation>la fin du corps était attendue après l’élément racine</translation>
    </message>
    <message>
        <source>an end tag does not match the element it closes</source>
        <translation>une balise de fin ne correspond pas à l’élément qu’elle ferme</translation>
    </message>
    <message>
        <source>the XML is not well-formed here</source>
        <translation>le XML est mal formé à cet endroit</translation>
    </message>
    <message>
        <source>%1, found the end of the body</source>
        <translation>%1, mais le corps s’arrête là</translation>
    </message>
    <message>
        <source>line %1, column %2: %3</source>
        <translation>ligne %1, colonne %2&#xa0;: %3</translation>
    </message>
    <message>
        <source>The tree shows the first %1 values; the text shows them all.</source>
        <translation>L’arbre montre les %1 premières valeurs&#xa0;; le texte les montre toutes.</translation>
    </message>
    <message>
        <source>Building the tree of %1: %p%</source>
        <translation>Construction de l’arbre de %1&#xa0;: %p&#xa0;%</translation>
    </message>
    <message>
        <source>Formatting %1: %p%</source>
        <translation>Mise en forme de %1&#xa0;: %p&#xa0;%</translation>
    </message>
    <message>
        <source>Stopped: showing the part formatted so far, %1 of the %2 body.</source>
        <translation>Arrêté&#xa0;: la partie déjà mise en forme est affichée, %1 d’un corps de %2.</translation>
    </message>
    <message>
        <source>Body copied as received (%1).</source>
        <translation>Corps copié tel que reçu (%1).</translation>
    </message>
    <message>
        <source>The receiver kept only this part of the %1 sent.</source>
        <translation>Le récepteur n’a gardé que cette partie des %1 envoyés.</translation>
    </message>
</context>
<context>
    <name>Hooktrail::Certificates</name>
    <message>
        <source>name the host the certificate is for, e.g. --host localhost</source>
        <translation>nommez l’hôte auquel le certificat est destiné, par exemple --host localhost</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is neither a host name (letters, digits, &apos;-&apos; and &apos;.&apos;) nor an IP address</source>
        <translation>« %1 » n’est ni un nom d’hôte (lettres, chiffres, « - » et « . ») ni une adresse IP</translation>
    </message>
    <message>
        <source>a certificate lasts 1 to 3650 days</source>
        <translation>un certificat dure de 1 à 3650 jours</translation>
    </message>
    <message>
        <source>cannot create the folder %1</source>
        <translation>impossible de créer le dossier %1</translation>
    </message>
    <message>
        <source>%1 exists; --force replaces it</source>
        <translation>%1 existe déjà ; --force le remplace</translation>
    </message>
</context>
<context>
    <name>Hooktrail::ConfigTables</name>
    <message>
        <source>a webhook named &apos;%1&apos; already exists</source>
        <translation>un webhook nommé «&#xa0;%1&#xa0;» existe déjà</translation>
    </message>
    <message>
        <source>no webhook with id %1</source>
        <translation>aucun webhook n’a l’identifiant %1</translation>
    </message>
    <message>
        <source>a key needs a name of 1 to 100 characters</source>
        <translation>une clé doit avoir un nom de 1 à 100 caractères</translation>
    </message>
    <message>
        <source>no key with prefix %1</source>
        <translation>aucune clé n’a le préfixe %1</translation>
    </message>
    <message>
        <source>%1 keys have prefix %2</source>
        <translation>%1 clés ont le préfixe %2</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a webhook id</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas un identifiant de webhook</translation>
    </message>
    <message>
        <source>a webhook with id %1 already exists</source>
        <translation>un webhook a déjà l’identifiant %1</translation>
    </message>
</context>
<context>
    <name>Hooktrail::ConnectionsPage</name>
    <message>
        <source>Add more</source>
        <translation>Ajouter</translation>
    </message>
    <message>
        <source>Webhooks</source>
        <translation>Webhooks</translation>
    </message>
    <message>
        <source>Add more webhooks</source>
        <translation>Ajouter des webhooks</translation>
    </message>
    <message>
        <source>Create a webhook: an address other services send data to (%1)</source>
        <translation>Créer un webhook&#xa0;: une adresse à laquelle d’autres services envoient des données (%1)</translation>
    </message>
    <message>
        <source>Webhook actions</source>
        <translation>Actions sur le webhook</translation>
    </message>
    <message>
        <source>A webhook is an address that other services send data to; Hooktrail keeps every request it receives. Click Add more to create one.</source>
        <translation>Un webhook est une adresse à laquelle d’autres services envoient des données&#xa0;; Hooktrail conserve chaque requête qu’il reçoit. Cliquez sur Ajouter pour en créer un.</translation>
    </message>
    <message>
        <source>No database is available.</source>
        <translation>Aucune base de données n’est disponible.</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Modifier</translation>
    </message>
    <message>
        <source>Edit the selected webhook&apos;s settings</source>
        <translation>Modifier les paramètres du webhook sélectionné</translation>
    </message>
    <message>
        <source>Disa&amp;ble</source>
        <translation>&amp;Désactiver</translation>
    </message>
    <message>
        <source>Enable or disable the selected webhook; a disabled webhook answers 503 so senders retry later</source>
        <translation>Activer ou désactiver le webhook sélectionné&#xa0;; un webhook désactivé répond 503 pour que les expéditeurs réessaient plus tard</translation>
    </message>
    <message>
        <source>D&amp;uplicate</source>
        <translation>Dupli&amp;quer</translation>
    </message>
    <message>
        <source>Create a new webhook with the same rules</source>
        <translation>Créer un nouveau webhook avec les mêmes règles</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <source>Delete the selected webhook, keeping its logged requests or not</source>
        <translation>Supprimer le webhook sélectionné, en conservant ou non ses requêtes journalisées</translation>
    </message>
    <message>
        <source>&amp;Copy endpoint</source>
        <translation>&amp;Copier le point de terminaison</translation>
    </message>
    <message>
        <source>Show the endpoint URL with your API key, ready to copy</source>
        <translation>Afficher l’URL du point de terminaison avec votre clé API, prête à être copiée</translation>
    </message>
    <message>
        <source>Send &amp;test request</source>
        <translation>Envoyer une requête de &amp;test</translation>
    </message>
    <message>
        <source>Send a request to the selected webhook through the running receiver</source>
        <translation>Envoyer une requête au webhook sélectionné via le récepteur en cours d’exécution</translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation>&amp;Importer…</translation>
    </message>
    <message>
        <source>Add webhooks from a settings JSON file</source>
        <translation>Ajouter des webhooks depuis un fichier JSON de paramètres</translation>
    </message>
    <message>
        <source>E&amp;xport…</source>
        <translation>E&amp;xporter…</translation>
    </message>
    <message>
        <source>Save every webhook&apos;s settings to a JSON file</source>
        <translation>Enregistrer les paramètres de tous les webhooks dans un fichier JSON</translation>
    </message>
    <message>
        <source>Ena&amp;ble</source>
        <translation>&amp;Activer</translation>
    </message>
    <message>
        <source>The webhooks cannot be read: %1</source>
        <translation>Impossible de lire les webhooks&#xa0;: %1</translation>
    </message>
    <message>
        <source>The recent activity cannot be read: %1</source>
        <translation>Impossible de lire l’activité récente&#xa0;: %1</translation>
    </message>
    <message>
        <source>Copy of %1</source>
        <translation>Copie de %1</translation>
    </message>
    <message>
        <source>“%1” cannot be changed: %2</source>
        <translation>Impossible de modifier «&#xa0;%1&#xa0;»&#xa0;: %2</translation>
    </message>
    <message>
        <source>“%1” is enabled.</source>
        <translation>«&#xa0;%1&#xa0;» est activé.</translation>
    </message>
    <message>
        <source>“%1” is disabled: its requests are answered 503 and logged.</source>
        <translation>«&#xa0;%1&#xa0;» est désactivé&#xa0;: ses requêtes reçoivent la réponse 503 et sont journalisées.</translation>
    </message>
    <message>
        <source>The logged requests of “%1” cannot be counted: %2</source>
        <translation>Impossible de compter les requêtes journalisées de «&#xa0;%1&#xa0;»&#xa0;: %2</translation>
    </message>
    <message>
        <source>Delete webhook</source>
        <translation>Supprimer le webhook</translation>
    </message>
    <message>
        <source>Delete the webhook “%1”? Senders then get 404 unknown_webhook.</source>
        <translation>Supprimer le webhook «&#xa0;%1&#xa0;»&#xa0;? Les expéditeurs recevront alors 404 unknown_webhook.</translation>
    </message>
    <message numerus="yes">
        <source>Requests logged for it: %n. Keep them in the history, or delete them too?</source>
        <translation>
            <numerusform>Requête journalisée pour ce webhook&#xa0;: %n. La conserver dans l’historique, ou la supprimer aussi&#xa0;?</numerusform>
            <numerusform>Requêtes journalisées pour ce webhook&#xa0;: %n. Les conserver dans l’historique, ou les supprimer aussi&#xa0;?</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete, &amp;keep requests</source>
        <translation>Supprimer, &amp;garder les requêtes</translation>
    </message>
    <message>
        <source>Delete &amp;with its requests</source>
        <translation>Supprimer &amp;avec ses requêtes</translation>
    </message>
    <message>
        <source>No request was logged for it.</source>
        <translation>Aucune requête n’a été journalisée pour ce webhook.</translation>
    </message>
    <message>
        <source>“%1” cannot be deleted: %2</source>
        <translation>Impossible de supprimer «&#xa0;%1&#xa0;»&#xa0;: %2</translation>
    </message>
    <message>
        <source>“%1” and its logged requests are deleted.</source>
        <translation>«&#xa0;%1&#xa0;» et ses requêtes journalisées ont été supprimés.</translation>
    </message>
    <message>
        <source>“%1” is deleted; its logged requests stay in the history.</source>
        <translation>«&#xa0;%1&#xa0;» a été supprimé&#xa0;; ses requêtes journalisées restent dans l’historique.</translation>
    </message>
    <message>
        <source>%1 cannot be read: %2</source>
        <translation>Impossible de lire %1&#xa0;: %2</translation>
    </message>
    <message numerus="yes">
        <source>Webhooks imported: %n.</source>
        <translation>
            <numerusform>Webhook importé&#xa0;: %n.</numerusform>
            <numerusform>Webhooks importés&#xa0;: %n.</numerusform>
        </translation>
    </message>
    <message>
        <source>Names already in use got a suffix: %1.</source>
        <translation>Les noms déjà utilisés ont reçu un suffixe&#xa0;: %1.</translation>
    </message>
    <message>
        <source>Not imported:</source>
        <translation>Non importés&#xa0;:</translation>
    </message>
    <message>
        <source>The webhooks are exported to %1.</source>
        <translation>Les webhooks ont été exportés vers %1.</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>Échec de l’exportation&#xa0;: %1</translation>
    </message>
    <message>
        <source>Import webhooks</source>
        <translation>Importer des webhooks</translation>
    </message>
    <message>
        <source>JSON files (*.json);;All files (*)</source>
        <translation>Fichiers JSON (*.json);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Export webhooks</source>
        <translation>Exporter les webhooks</translation>
    </message>
    <message>
        <source>“%1” is added, enabled like “%2”; its endpoint is its own.</source>
        <translation>«&#xa0;%1&#xa0;» est ajouté, activé comme «&#xa0;%2&#xa0;»&#xa0;; il a son propre point de terminaison.</translation>
    </message>
    <message>
        <source>“%1” is added, disabled like “%2”: its requests are answered 503 until you enable it. Its endpoint is its own.</source>
        <translation>«&#xa0;%1&#xa0;» est ajouté, désactivé comme «&#xa0;%2&#xa0;»&#xa0;: ses requêtes reçoivent la réponse 503 jusqu’à ce que vous l’activiez. Il a son propre point de terminaison.</translation>
    </message>
    <message>
        <source>Skipped: %1.</source>
        <translation>Ignorés&#xa0;: %1.</translation>
    </message>
</context>
<context>
    <name>Hooktrail::CopyFeedback</name>
    <message>
        <source>Copied</source>
        <translation>Copié</translation>
    </message>
</context>
<context>
    <name>Hooktrail::DeleteController</name>
    <message>
        <source>Delete requests</source>
        <translation>Supprimer des requêtes</translation>
    </message>
    <message>
        <source>Deleted requests cannot be brought back.</source>
        <translation>Les requêtes supprimées ne peuvent pas être récupérées.</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <source>The requests cannot be counted: %1</source>
        <translation>Impossible de compter les requêtes&#xa0;: %1</translation>
    </message>
    <message>
        <source>No request matches the filter: nothing to delete.</source>
        <translation>Aucune requête ne correspond au filtre&#xa0;: rien à supprimer.</translation>
    </message>
    <message>
        <source>The requests cannot be deleted: %1</source>
        <translation>Impossible de supprimer les requêtes&#xa0;: %1</translation>
    </message>
    <message>
        <source>Delete the selected request from the history?</source>
        <translation>Supprimer de l’historique la requête sélectionnée&#xa0;?</translation>
    </message>
    <message numerus="yes">
        <source>Delete the %Ln selected requests from the history?</source>
        <translation>
            <numerusform>Supprimer de l’historique la requête sélectionnée (%Ln)&#xa0;?</numerusform>
            <numerusform>Supprimer de l’historique les %Ln requêtes sélectionnées&#xa0;?</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete the request matching the filter?</source>
        <translation>Supprimer la requête correspondant au filtre&#xa0;?</translation>
    </message>
    <message numerus="yes">
        <source>Delete the %Ln requests matching the filter?</source>
        <translation>
            <numerusform>Supprimer la requête correspondant au filtre (%Ln)&#xa0;?</numerusform>
            <numerusform>Supprimer les %Ln requêtes correspondant au filtre&#xa0;?</numerusform>
        </translation>
    </message>
    <message>
        <source>1 request deleted.</source>
        <translation>1 requête supprimée.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln requests deleted.</source>
        <translation>
            <numerusform>%Ln requête supprimée.</numerusform>
            <numerusform>%Ln requêtes supprimées.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Hooktrail::DeliveriesView</name>
    <message>
        <source>Deliver a&amp;gain</source>
        <translation>Livrer à &amp;nouveau</translation>
    </message>
    <message>
        <source>Deliver this request again to every destination of its webhook, now</source>
        <translation>Livrer à nouveau cette requête à chaque destination de son webhook, maintenant</translation>
    </message>
    <message>
        <source>Deliveries and their attempts</source>
        <translation>Livraisons et leurs tentatives</translation>
    </message>
    <message>
        <source>Destination</source>
        <translation>Destination</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Durée</translation>
    </message>
    <message>
        <source>The destination&apos;s answer</source>
        <translation>La réponse de la destination</translation>
    </message>
    <message>
        <source>Select an attempt to see the destination&apos;s answer.</source>
        <translation>Sélectionnez une tentative pour voir la réponse de la destination.</translation>
    </message>
    <message>
        <source>Reading deliveries…</source>
        <translation>Lecture des livraisons…</translation>
    </message>
    <message>
        <source>The deliveries could not be read: %1</source>
        <translation>Impossible de lire les livraisons&#xa0;: %1</translation>
    </message>
    <message>
        <source>%1, next at %2</source>
        <translation>%1, prochaine à %2</translation>
    </message>
    <message numerus="yes">
        <source>%n attempt(s)</source>
        <translation>
            <numerusform>%n tentative</numerusform>
            <numerusform>%n tentatives</numerusform>
        </translation>
    </message>
    <message>
        <source>Attempt %1</source>
        <translation>Tentative %1</translation>
    </message>
    <message>
        <source>Rejected requests are not delivered.</source>
        <translation>Les requêtes refusées ne sont pas livrées.</translation>
    </message>
    <message>
        <source>Not delivered: its webhook had no destination when it arrived. “Deliver again” sends it to the destinations it has now.</source>
        <translation>Non livrée&#xa0;: son webhook n’avait aucune destination à son arrivée. «&#xa0;Livrer à nouveau&#xa0;» l’envoie aux destinations qu’il a maintenant.</translation>
    </message>
    <message numerus="yes">
        <source>%n destination(s): %1 delivered, %2 failed, %3 on their way.</source>
        <translation>
            <numerusform>%n destination&#xa0;: %1 livrée, %2 en échec, %3 en cours.</numerusform>
            <numerusform>%n destinations&#xa0;: %1 livrées, %2 en échec, %3 en cours.</numerusform>
        </translation>
    </message>
    <message>
        <source>No attempt yet.</source>
        <translation>Aucune tentative pour l’instant.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1&#xa0;: %2</translation>
    </message>
    <message>
        <source>HTTP %1</source>
        <translation>HTTP %1</translation>
    </message>
    <message>
        <source>No answer: %1</source>
        <translation>Pas de réponse&#xa0;: %1</translation>
    </message>
    <message numerus="yes">
        <source>[%n bytes of binary content]</source>
        <translation>
            <numerusform>[%n octet de contenu binaire]</numerusform>
            <numerusform>[%n octets de contenu binaire]</numerusform>
        </translation>
    </message>
    <message>
        <source>[Only the first %1 of the answer are kept.]</source>
        <translation>[Seuls les %1 premiers de la réponse sont conservés.]</translation>
    </message>
</context>
<context>
    <name>Hooktrail::DeliveryTables</name>
    <message>
        <source>no webhook with id %1</source>
        <translation>aucun webhook avec l’id %1</translation>
    </message>
    <message>
        <source>no destination with id %1</source>
        <translation>aucune destination avec l’id %1</translation>
    </message>
    <message>
        <source>gave up: older than the destination&apos;s maximum age</source>
        <translation>abandon&#xa0;: plus ancienne que l’âge maximal de la destination</translation>
    </message>
</context>
<context>
    <name>Hooktrail::DeliveryWorker</name>
    <message>
        <source>the request was removed from the log</source>
        <translation>la requête a été supprimée de l’historique</translation>
    </message>
    <message>
        <source>no complete answer within %1 s</source>
        <translation>pas de réponse complète en %1&#xa0;s</translation>
    </message>
    <message>
        <source>the destination refused a forwarding loop (HTTP 508)</source>
        <translation>la destination a refusé une boucle de transfert (HTTP 508)</translation>
    </message>
    <message numerus="yes">
        <source>gave up after %n attempt(s)</source>
        <translation>
            <numerusform>abandon après %n&#xa0;tentative</numerusform>
            <numerusform>abandon après %n&#xa0;tentatives</numerusform>
        </translation>
    </message>
    <message>
        <source>gave up: the next attempt would pass the maximum age</source>
        <translation>abandon&#xa0;: la prochaine tentative dépasserait l’âge maximal</translation>
    </message>
</context>
<context>
    <name>Hooktrail::Destination</name>
    <message>
        <source>None</source>
        <translation>Aucune</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Livrée</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>En attente</translation>
    </message>
    <message>
        <source>Retrying</source>
        <translation>Nouvel essai</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échouée</translation>
    </message>
    <message>
        <source>Enter a name.</source>
        <translation>Saisissez un nom.</translation>
    </message>
    <message>
        <source>Use at most 100 characters (this one has %1).</source>
        <translation>Utilisez au plus 100&#xa0;caractères (celui-ci en a %1).</translation>
    </message>
    <message>
        <source>Enter the URL to deliver to.</source>
        <translation>Saisissez l’URL de livraison.</translation>
    </message>
    <message>
        <source>Enter an http:// or https:// URL, such as http://localhost:3000/hooks.</source>
        <translation>Saisissez une URL http:// ou https://, par exemple http://localhost:3000/hooks.</translation>
    </message>
    <message>
        <source>The URL needs a host.</source>
        <translation>L’URL doit comporter un hôte.</translation>
    </message>
    <message>
        <source>Put credentials in a header, not in the URL: they would show wherever the URL does.</source>
        <translation>Mettez les identifiants dans un en-tête, pas dans l’URL&#xa0;: ils apparaîtraient partout où l’URL apparaît.</translation>
    </message>
    <message>
        <source>Remove the #fragment: it is never sent.</source>
        <translation>Retirez le #fragment&#xa0;: il n’est jamais envoyé.</translation>
    </message>
    <message>
        <source>Use at most %1 headers.</source>
        <translation>Utilisez au plus %1&#xa0;en-têtes.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a header name: use letters, digits and - only.</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas un nom d’en-tête&#xa0;: utilisez uniquement des lettres, des chiffres et -.</translation>
    </message>
    <message>
        <source>%1 is set by Hooktrail for each delivery and cannot be added.</source>
        <translation>%1 est fixé par Hooktrail à chaque livraison et ne peut pas être ajouté.</translation>
    </message>
    <message>
        <source>The value of %1 has a line break or a control character, or is over 8,192 characters.</source>
        <translation>La valeur de %1 contient un saut de ligne ou un caractère de contrôle, ou dépasse 8&#xa0;192&#xa0;caractères.</translation>
    </message>
    <message>
        <source>Choose a timeout from 1 to %1 seconds.</source>
        <translation>Choisissez un délai de 1 à %1&#xa0;secondes.</translation>
    </message>
    <message>
        <source>Choose from 1 to %1 attempts.</source>
        <translation>Choisissez de 1 à %1&#xa0;tentatives.</translation>
    </message>
    <message>
        <source>Choose a maximum age from 1 minute to 30 days.</source>
        <translation>Choisissez un âge maximal de 1&#xa0;minute à 30&#xa0;jours.</translation>
    </message>
</context>
<context>
    <name>Hooktrail::DestinationDialog</name>
    <message>
        <source>Add destination</source>
        <translation>Ajouter une destination</translation>
    </message>
    <message>
        <source>Edit destination</source>
        <translation>Modifier la destination</translation>
    </message>
    <message>
        <source>e.g. Staging app</source>
        <translation>p. ex. Application de recette</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nom&#xa0;:</translation>
    </message>
    <message>
        <source>Where each accepted request is delivered: an http:// or https:// URL.</source>
        <translation>Où chaque requête acceptée est livrée&#xa0;: une URL http:// ou https://.</translation>
    </message>
    <message>
        <source>&amp;URL:</source>
        <translation>&amp;URL&#xa0;:</translation>
    </message>
    <message>
        <source>Added to every delivery, e.g. a token the destination expects.</source>
        <translation>Ajoutés à chaque livraison, p. ex. un jeton attendu par la destination.</translation>
    </message>
    <message>
        <source>Headers to &amp;add:</source>
        <translation>En-têtes à &amp;ajouter&#xa0;:</translation>
    </message>
    <message>
        <source> s</source>
        <translation>&#xa0;s</translation>
    </message>
    <message>
        <source>An attempt with no complete answer by then is retried.</source>
        <translation>Une tentative sans réponse complète dans ce délai est réessayée.</translation>
    </message>
    <message>
        <source>&amp;Timeout:</source>
        <translation>&amp;Délai&#xa0;:</translation>
    </message>
    <message>
        <source>408, 429, 5xx answers, timeouts and refused connections are retried, with a growing random pause, up to this many attempts.</source>
        <translation>Les réponses 408, 429 et 5xx, les délais dépassés et les connexions refusées sont réessayés, après une pause aléatoire croissante, jusqu’à ce nombre de tentatives.</translation>
    </message>
    <message>
        <source>Maximum &amp;attempts:</source>
        <translation>Nombre maximal de &amp;tentatives&#xa0;:</translation>
    </message>
    <message>
        <source> h</source>
        <translation>&#xa0;h</translation>
    </message>
    <message>
        <source>A delivery not made by then is given up.</source>
        <translation>Une livraison non faite dans ce délai est abandonnée.</translation>
    </message>
    <message>
        <source>Give up &amp;after:</source>
        <translation>Abandonner &amp;après&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Forward the query (without the API key)</source>
        <translation>&amp;Transmettre les paramètres de l’URL (sans la clé d’API)</translation>
    </message>
</context>
<context>
    <name>Hooktrail::DestinationSection</name>
    <message>
        <source>Destinations</source>
        <translation>Destinations</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Add &amp;destination…</source>
        <translation>Ajouter une &amp;destination…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Modifier…</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Suspendre</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>Supprimer…</translation>
    </message>
    <message>
        <source>Send a &amp;test delivery</source>
        <translation>Envoyer une livraison de &amp;test</translation>
    </message>
    <message>
        <source>Paused: deliveries wait until it is resumed</source>
        <translation>Suspendue&#xa0;: les livraisons attendent sa reprise</translation>
    </message>
    <message numerus="yes">
        <source>Paused by itself after %n failure(s) in a row · probing</source>
        <translation>
            <numerusform>Suspendue d’elle-même après %n&#xa0;échec consécutif · sondage en cours</numerusform>
            <numerusform>Suspendue d’elle-même après %n&#xa0;échecs consécutifs · sondage en cours</numerusform>
        </translation>
    </message>
    <message>
        <source>Delivering</source>
        <translation>Livraisons en cours</translation>
    </message>
    <message>
        <source> · last success %1</source>
        <translation> · dernier succès&#xa0;: %1</translation>
    </message>
    <message numerus="yes">
        <source> · %n failure(s) in a row</source>
        <translation>
            <numerusform> · %n&#xa0;échec consécutif</numerusform>
            <numerusform> · %n&#xa0;échecs consécutifs</numerusform>
        </translation>
    </message>
    <message>
        <source>Save the webhook first; then add where its requests are delivered.</source>
        <translation>Enregistrez d’abord le webhook&#xa0;; ajoutez ensuite où ses requêtes sont livrées.</translation>
    </message>
    <message>
        <source>No webhook selected.</source>
        <translation>Aucun webhook sélectionné.</translation>
    </message>
    <message>
        <source>The destinations cannot be read: %1</source>
        <translation>Impossible de lire les destinations&#xa0;: %1</translation>
    </message>
    <message>
        <source>%1
Last error: %2</source>
        <translation>%1
Dernière erreur&#xa0;: %2</translation>
    </message>
    <message>
        <source>No destination: accepted requests are kept, not delivered onward.</source>
        <translation>Aucune destination&#xa0;: les requêtes acceptées sont conservées, pas livrées plus loin.</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Reprendre</translation>
    </message>
    <message>
        <source>“%1” added: accepted requests are delivered to it from now on.</source>
        <translation>«&#xa0;%1&#xa0;» ajoutée&#xa0;: les requêtes acceptées lui sont désormais livrées.</translation>
    </message>
    <message>
        <source>The destination cannot be added: %1</source>
        <translation>Impossible d’ajouter la destination&#xa0;: %1</translation>
    </message>
    <message>
        <source>The destination cannot be saved: %1</source>
        <translation>Impossible d’enregistrer la destination&#xa0;: %1</translation>
    </message>
    <message>
        <source>The destination cannot be resumed: %1</source>
        <translation>Impossible de reprendre la destination&#xa0;: %1</translation>
    </message>
    <message>
        <source>The destination cannot be paused: %1</source>
        <translation>Impossible de suspendre la destination&#xa0;: %1</translation>
    </message>
    <message>
        <source>Remove destination</source>
        <translation>Supprimer la destination</translation>
    </message>
    <message>
        <source>Remove “%1”?</source>
        <translation>Supprimer «&#xa0;%1&#xa0;»&#xa0;?</translation>
    </message>
    <message>
        <source>Its delivery history goes with it; requests waiting for it are not delivered.</source>
        <translation>Son historique de livraison est supprimé avec elle&#xa0;; les requêtes qui l’attendent ne sont pas livrées.</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <source>The destination cannot be removed: %1</source>
        <translation>Impossible de supprimer la destination&#xa0;: %1</translation>
    </message>
    <message>
        <source>The test delivery cannot be sent: %1</source>
        <translation>Impossible d’envoyer la livraison de test&#xa0;: %1</translation>
    </message>
    <message>
        <source>Sending a test delivery to %1…</source>
        <translation>Envoi d’une livraison de test à %1…</translation>
    </message>
    <message>
        <source>Test delivery failed: %1</source>
        <translation>Échec de la livraison de test&#xa0;: %1</translation>
    </message>
    <message>
        <source>HTTP %1 %2 in %3 ms</source>
        <translation>HTTP %1 %2 en %3&#xa0;ms</translation>
    </message>
    <message>
        <source>Test delivery accepted: %1</source>
        <translation>Livraison de test acceptée&#xa0;: %1</translation>
    </message>
    <message>
        <source>Test delivery refused: %1</source>
        <translation>Livraison de test refusée&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>Hooktrail::Endpoint</name>
    <message>
        <source>Accepted</source>
        <translation>Acceptée</translation>
    </message>
    <message>
        <source>No webhook at this address</source>
        <translation>Aucun webhook à cette adresse</translation>
    </message>
    <message>
        <source>Unknown webhook</source>
        <translation>Webhook inconnu</translation>
    </message>
    <message>
        <source>Webhook disabled</source>
        <translation>Webhook désactivé</translation>
    </message>
    <message>
        <source>IP address not allowed</source>
        <translation>Adresse IP non autorisée</translation>
    </message>
    <message>
        <source>Method not allowed</source>
        <translation>Méthode non autorisée</translation>
    </message>
    <message>
        <source>No API key</source>
        <translation>Clé API absente</translation>
    </message>
    <message>
        <source>Wrong API key</source>
        <translation>Clé API incorrecte</translation>
    </message>
    <message>
        <source>Required header missing or wrong</source>
        <translation>En-tête requis absent ou incorrect</translation>
    </message>
    <message>
        <source>Unsupported content type</source>
        <translation>Type de contenu non pris en charge</translation>
    </message>
    <message>
        <source>Invalid JSON</source>
        <translation>JSON invalide</translation>
    </message>
    <message>
        <source>Invalid XML</source>
        <translation>XML invalide</translation>
    </message>
    <message>
        <source>Body too large</source>
        <translation>Corps trop volumineux</translation>
    </message>
    <message>
        <source>Headers too large</source>
        <translation>En-têtes trop volumineux</translation>
    </message>
    <message>
        <source>Malformed request</source>
        <translation>Requête mal formée</translation>
    </message>
    <message>
        <source>Request timed out</source>
        <translation>Délai de la requête dépassé</translation>
    </message>
    <message>
        <source>Unsupported request feature</source>
        <translation>Fonction de requête non prise en charge</translation>
    </message>
    <message>
        <source>HTTP version not supported</source>
        <translation>Version HTTP non prise en charge</translation>
    </message>
    <message>
        <source>Storage unavailable</source>
        <translation>Stockage indisponible</translation>
    </message>
    <message>
        <source>No reason recorded</source>
        <translation>Aucun motif enregistré</translation>
    </message>
    <message>
        <source>Other reason (%1)</source>
        <translation>Autre motif (%1)</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <comment>reason words (code)</comment>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Forwarding loop</source>
        <translation>Boucle de transfert</translation>
    </message>
    <message>
        <source>No signature</source>
        <translation>Signature absente</translation>
    </message>
    <message>
        <source>Wrong signature</source>
        <translation>Signature incorrecte</translation>
    </message>
    <message>
        <source>Signature timestamp out of tolerance</source>
        <translation>Horodatage de la signature hors tolérance</translation>
    </message>
</context>
<context>
    <name>Hooktrail::EndpointDialog</name>
    <message>
        <source>Endpoint of %1</source>
        <translation>Point de terminaison de %1</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>&lt;b&gt;Enter your API key&lt;/b&gt;</source>
        <translation>&lt;b&gt;Saisissez votre clé API&lt;/b&gt;</translation>
    </message>
    <message>
        <source>The endpoint of “%1” is shown with your key integrated, ready to paste into the sender. Keys are checked against the stored ones and never saved here.</source>
        <translation>Le point de terminaison de «&#xa0;%1&#xa0;» s’affiche avec votre clé intégrée, prêt à être collé dans l’expéditeur. Les clés sont vérifiées par rapport à celles qui sont enregistrées et ne sont jamais conservées ici.</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>Clé API</translation>
    </message>
    <message>
        <source>The whole key, starting with htk_, as shown when it was created.</source>
        <translation>La clé complète, commençant par htk_, telle qu’elle a été affichée lors de sa création.</translation>
    </message>
    <message>
        <source>Sho&amp;w</source>
        <translation>&amp;Afficher</translation>
    </message>
    <message>
        <source>Show the key</source>
        <translation>Afficher la clé</translation>
    </message>
    <message>
        <source>Show the key in clear text.</source>
        <translation>Afficher la clé en clair.</translation>
    </message>
    <message>
        <source>&amp;Verify</source>
        <translation>&amp;Vérifier</translation>
    </message>
    <message>
        <source>Verify the key</source>
        <translation>Vérifier la clé</translation>
    </message>
    <message>
        <source>API &amp;key:</source>
        <translation>&amp;Clé API&#xa0;:</translation>
    </message>
    <message>
        <source>Name of the new key</source>
        <translation>Nom de la nouvelle clé</translation>
    </message>
    <message>
        <source>Says who or what uses the key; shown in the key list and the history.</source>
        <translation>Indique qui ou quoi utilise la clé&#xa0;; affiché dans la liste des clés et dans l’historique.</translation>
    </message>
    <message>
        <source>Console key %1</source>
        <translation>Clé de la console %1</translation>
    </message>
    <message>
        <source>&amp;Create key</source>
        <translation>C&amp;réer la clé</translation>
    </message>
    <message>
        <source>Create an API key</source>
        <translation>Créer une clé API</translation>
    </message>
    <message>
        <source>Key &amp;name:</source>
        <translation>&amp;Nom de la clé&#xa0;:</translation>
    </message>
    <message>
        <source>Send requests for “%1” to this address. It carries your API key: share it only with the sender.</source>
        <translation>Envoyez les requêtes destinées à «&#xa0;%1&#xa0;» à cette adresse. Elle contient votre clé API&#xa0;: ne la communiquez qu’à l’expéditeur.</translation>
    </message>
    <message>
        <source>Endpoint URL</source>
        <translation>URL du point de terminaison</translation>
    </message>
    <message>
        <source>&amp;Endpoint:</source>
        <translation>&amp;Point de terminaison&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>C&amp;opier</translation>
    </message>
    <message>
        <source>Copy the endpoint with the key</source>
        <translation>Copier le point de terminaison avec la clé</translation>
    </message>
    <message>
        <source>Copy the endpoint URL, key included, to the clipboard.</source>
        <translation>Copier l’URL du point de terminaison, clé comprise, dans le presse-papiers.</translation>
    </message>
    <message>
        <source>Copy &amp;without key</source>
        <translation>Copier &amp;sans la clé</translation>
    </message>
    <message>
        <source>Copy the endpoint without the key</source>
        <translation>Copier le point de terminaison sans la clé</translation>
    </message>
    <message>
        <source>For senders that send the key in an X-Api-Key header.</source>
        <translation>Pour les expéditeurs qui envoient la clé dans un en-tête X-Api-Key.</translation>
    </message>
    <message>
        <source>Copy as c&amp;url</source>
        <translation>Copier en commande c&amp;url</translation>
    </message>
    <message>
        <source>Copy as curl command</source>
        <translation>Copier en commande curl</translation>
    </message>
    <message>
        <source>A curl command that sends a sample request meeting this webhook&apos;s rules.</source>
        <translation>Une commande curl qui envoie une requête d’exemple conforme aux règles de ce webhook.</translation>
    </message>
    <message>
        <source>The endpoint with your key is on the clipboard.</source>
        <translation>Le point de terminaison avec votre clé a été copié dans le presse-papiers.</translation>
    </message>
    <message>
        <source>The endpoint without the key is on the clipboard.</source>
        <translation>Le point de terminaison sans la clé a été copié dans le presse-papiers.</translation>
    </message>
    <message>
        <source>The curl command is on the clipboard.</source>
        <translation>La commande curl a été copiée dans le presse-papiers.</translation>
    </message>
    <message>
        <source>Copy status</source>
        <translation>État de la copie</translation>
    </message>
    <message>
        <source>This webhook is disabled: the receiver answers 503 until it is enabled.</source>
        <translation>Ce webhook est désactivé&#xa0;: le récepteur répond 503 jusqu’à ce qu’il soit activé.</translation>
    </message>
    <message>
        <source>No database is available: API keys cannot be checked.</source>
        <translation>Aucune base de données n’est disponible&#xa0;: impossible de vérifier les clés API.</translation>
    </message>
    <message>
        <source>The API keys cannot be read: %1</source>
        <translation>Impossible de lire les clés API&#xa0;: %1</translation>
    </message>
    <message>
        <source>There is no API key yet. Create one now; senders need it.</source>
        <translation>Il n’existe encore aucune clé API. Créez-en une maintenant&#xa0;; les expéditeurs en ont besoin.</translation>
    </message>
    <message>
        <source>Every API key has been revoked. Create a new one now; senders need it.</source>
        <translation>Toutes les clés API ont été révoquées. Créez-en une nouvelle maintenant&#xa0;; les expéditeurs en ont besoin.</translation>
    </message>
    <message>
        <source>Enter an API key.</source>
        <translation>Saisissez une clé API.</translation>
    </message>
    <message>
        <source>This key does not match any API key. Check that you copied all of it, starting with htk_.</source>
        <translation>Cette clé ne correspond à aucune clé API. Vérifiez que vous l’avez copiée en entier, en commençant par htk_.</translation>
    </message>
    <message>
        <source>The key could not be created: %1</source>
        <translation>Impossible de créer la clé&#xa0;: %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;No key at hand?&lt;/b&gt; Create one here: it is shown once, with a Copy button, and opens every endpoint.</source>
        <translation>&lt;b&gt;Pas de clé sous la main&#xa0;?&lt;/b&gt; Créez-en une ici&#xa0;: elle est affichée une seule fois, avec un bouton Copier, et ouvre tous les points de terminaison.</translation>
    </message>
    <message>
        <source>Creates a key with this name and shows it once, with the endpoint that carries it</source>
        <translation>Crée une clé de ce nom et l’affiche une seule fois, avec le point de terminaison qui la contient</translation>
    </message>
    <message>
        <source>This key has been revoked: it no longer opens any endpoint. Use another key, or create one below.</source>
        <translation>Cette clé a été révoquée&#xa0;: elle n’ouvre plus aucun point de terminaison. Utilisez une autre clé, ou créez-en une ci-dessous.</translation>
    </message>
</context>
<context>
    <name>Hooktrail::ExportController</name>
    <message>
        <source>HAR 1.2 (*.har)</source>
        <translation>Fichiers HAR 1.2 (*.har)</translation>
    </message>
    <message>
        <source>JSON Lines (*.jsonl)</source>
        <translation>Fichiers JSON Lines (*.jsonl)</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>Fichiers CSV (*.csv)</translation>
    </message>
    <message>
        <source>Exporting requests…</source>
        <translation>Exportation des requêtes…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exporter</translation>
    </message>
    <message>
        <source>Exporting requests: %1 of %2…</source>
        <translation>Exportation des requêtes&#xa0;: %1 sur %2…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Annulation…</translation>
    </message>
    <message>
        <source>Export cancelled; no file was written.</source>
        <translation>Exportation annulée&#xa0;; aucun fichier n’a été écrit.</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>annulée</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>Échec de l’exportation&#xa0;: %1</translation>
    </message>
    <message>
        <source>1 request exported to %1.</source>
        <translation>1 requête exportée vers %1.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln requests exported to %1.</source>
        <translation>
            <numerusform>%Ln requête exportée vers %1.</numerusform>
            <numerusform>%Ln requêtes exportées vers %1.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Hooktrail::FilterBar</name>
    <message>
        <source>Webhook</source>
        <translation>Webhook</translation>
    </message>
    <message>
        <source>All webhooks</source>
        <translation>Tous les webhooks</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <source>Any outcome</source>
        <translation>Tout résultat</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>Acceptée</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Refusée</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Raison</translation>
    </message>
    <message>
        <source>Any reason</source>
        <translation>Toute raison</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Méthode</translation>
    </message>
    <message>
        <source>Any method</source>
        <translation>Toute méthode</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>État</translation>
    </message>
    <message>
        <source>An exact HTTP status, such as 401; the lowest value means any</source>
        <translation>Un statut HTTP exact, par exemple 401&#xa0;; la valeur la plus basse signifie n’importe lequel</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>Tout statut</translation>
    </message>
    <message>
        <source>Time range</source>
        <translation>Période</translation>
    </message>
    <message>
        <source>All time</source>
        <translation>Depuis le début</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Dernière heure</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Dernières 24 heures</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>7 derniers jours</translation>
    </message>
    <message>
        <source>Custom range</source>
        <translation>Période personnalisée</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Du</translation>
    </message>
    <message>
        <source>Requests received at or after this time</source>
        <translation>Requêtes reçues à partir de ce moment</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>Jusqu’au</translation>
    </message>
    <message>
        <source>Requests received before this time</source>
        <translation>Requêtes reçues avant ce moment</translation>
    </message>
    <message>
        <source>Search headers and bodies</source>
        <translation>Rechercher dans les en-têtes et les corps</translation>
    </message>
    <message>
        <source>Words to find in headers and bodies; every word must occur</source>
        <translation>Mots à trouver dans les en-têtes et les corps&#xa0;; chaque mot doit apparaître</translation>
    </message>
    <message>
        <source>&amp;Webhook:</source>
        <translation>&amp;Webhook&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Outcome:</source>
        <translation>&amp;Résultat&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>Rai&amp;son&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Method:</source>
        <translation>&amp;Méthode&#xa0;:</translation>
    </message>
    <message>
        <source>S&amp;tatus:</source>
        <translation>S&amp;tatut&#xa0;:</translation>
    </message>
    <message>
        <source>T&amp;ime:</source>
        <translation>&amp;Période&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation>&amp;Du&#xa0;:</translation>
    </message>
    <message>
        <source>U&amp;ntil:</source>
        <translation>&amp;Jusqu’au&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Search:</source>
        <translation>Re&amp;chercher&#xa0;:</translation>
    </message>
    <message>
        <source>Why the receiver accepted or refused the request</source>
        <translation>Pourquoi le récepteur a accepté ou refusé la requête</translation>
    </message>
    <message>
        <source>%1 (disabled)</source>
        <translation>%1 (désactivé)</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>Livraison</translation>
    </message>
    <message>
        <source>How the request&apos;s deliveries to its destinations stand</source>
        <translation>Où en sont les livraisons de la requête à ses destinations</translation>
    </message>
    <message>
        <source>Any delivery</source>
        <translation>Toute livraison</translation>
    </message>
    <message>
        <source>Not delivered anywhere</source>
        <translation>Livrée nulle part</translation>
    </message>
    <message>
        <source>De&amp;livery:</source>
        <translation>&amp;Livraison&#xa0;:</translation>
    </message>
</context>
<context>
    <name>Hooktrail::FindBar</name>
    <message>
        <source>Find in the body</source>
        <translation>Chercher dans le corps</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>Précédent</translation>
    </message>
    <message>
        <source>Previous match (Shift+Enter, Shift+F3)</source>
        <translation>Occurrence précédente (Maj+Entrée, Maj+F3)</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Suivant</translation>
    </message>
    <message>
        <source>Next match (Enter, F3)</source>
        <translation>Occurrence suivante (Entrée, F3)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Close the find bar (Esc)</source>
        <translation>Fermer la barre de recherche (Échap)</translation>
    </message>
    <message>
        <source>No matches</source>
        <translation>Aucune occurrence</translation>
    </message>
    <message>
        <source>%1+ matches</source>
        <translation>%1+ occurrences</translation>
    </message>
    <message numerus="yes">
        <source>%n match(es)</source>
        <translation>
            <numerusform>%n occurrence</numerusform>
            <numerusform>%n occurrences</numerusform>
        </translation>
    </message>
    <message>
        <source>%1+</source>
        <translation>%1+</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 sur %2</translation>
    </message>
</context>
<context>
    <name>Hooktrail::HeaderTableEditor</name>
    <message>
        <source>Request headers</source>
        <translation>En-têtes de la requête</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valeur</translation>
    </message>
    <message>
        <source>&amp;Add header</source>
        <translation>&amp;Ajouter un en-tête</translation>
    </message>
    <message>
        <source>Add header</source>
        <translation>Ajouter un en-tête</translation>
    </message>
    <message>
        <source>&amp;Remove header</source>
        <translation>&amp;Supprimer l’en-tête</translation>
    </message>
    <message>
        <source>Remove the selected headers</source>
        <translation>Supprimer les en-têtes sélectionnés</translation>
    </message>
</context>
<context>
    <name>Hooktrail::HistoryChart</name>
    <message>
        <source>Requests over time</source>
        <translation>Requêtes au fil du temps</translation>
    </message>
    <message>
        <source>%1 accepted and %2 rejected requests in the period shown</source>
        <translation>Requêtes sur la période affichée&#xa0;: %1 acceptées et %2 refusées</translation>
    </message>
    <message>
        <source>No requests in this period</source>
        <translation>Aucune requête sur cette période</translation>
    </message>
    <message>
        <source>Accepted %1</source>
        <translation>Acceptées %1</translation>
    </message>
    <message>
        <source>Rejected %1</source>
        <translation>Refusées %1</translation>
    </message>
    <message>
        <source>max %1 per bar</source>
        <translation>max. %1 par barre</translation>
    </message>
    <message>
        <source>%1 – %2
Accepted: %3
Rejected: %4
Drag across the bars to show that period.</source>
        <translation>%1 – %2
Acceptées&#xa0;: %3
Refusées&#xa0;: %4
Faites glisser sur les barres pour afficher cette période.</translation>
    </message>
</context>
<context>
    <name>Hooktrail::HistoryPage</name>
    <message>
        <source>Request actions</source>
        <translation>Actions sur les requêtes</translation>
    </message>
    <message>
        <source>Requests matching the filter</source>
        <translation>Requêtes correspondant au filtre</translation>
    </message>
    <message>
        <source>New requests arrived above; show the newest</source>
        <translation>De nouvelles requêtes sont arrivées au-dessus&#xa0;; afficher les plus récentes</translation>
    </message>
    <message>
        <source>Logged requests</source>
        <translation>Requêtes journalisées</translation>
    </message>
    <message>
        <source>The history cannot be read: %1</source>
        <translation>Impossible de lire l’historique&#xa0;: %1</translation>
    </message>
    <message>
        <source>No database is available.</source>
        <translation>Aucune base de données n’est disponible.</translation>
    </message>
    <message>
        <source>Search headers and bodies</source>
        <translation>Rechercher dans les en-têtes et les corps</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Copy as &amp;curl</source>
        <translation>Copier en commande c&amp;url</translation>
    </message>
    <message>
        <source>Copy a curl command that sends this request again; the key stays a placeholder</source>
        <translation>Copier une commande curl qui renvoie cette requête&#xa0;; la clé y reste un espace réservé</translation>
    </message>
    <message>
        <source>Copy as curl with &amp;key…</source>
        <translation>Copier en commande curl avec la &amp;clé…</translation>
    </message>
    <message>
        <source>Copy a curl command with your API key in it</source>
        <translation>Copier une commande curl contenant votre clé API</translation>
    </message>
    <message>
        <source>&amp;Replay…</source>
        <translation>&amp;Rejouer…</translation>
    </message>
    <message>
        <source>Send this request again, to this receiver or any URL, edited first if you wish</source>
        <translation>Renvoyer cette requête, à ce récepteur ou à n’importe quelle URL, après l’avoir modifiée si vous le souhaitez</translation>
    </message>
    <message>
        <source>Export &amp;matching…</source>
        <translation>Exporter les requêtes &amp;filtrées…</translation>
    </message>
    <message>
        <source>Save every request matching the filter as HAR, JSON Lines or CSV</source>
        <translation>Enregistrer toutes les requêtes correspondant au filtre au format HAR, JSON Lines ou CSV</translation>
    </message>
    <message>
        <source>Export &amp;selected…</source>
        <translation>E&amp;xporter la sélection…</translation>
    </message>
    <message>
        <source>Save the selected requests as HAR, JSON Lines or CSV</source>
        <translation>Enregistrer les requêtes sélectionnées au format HAR, JSON Lines ou CSV</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <source>Delete the selected requests from the history</source>
        <translation>Supprimer de l’historique les requêtes sélectionnées</translation>
    </message>
    <message>
        <source>Delete &amp;all matching…</source>
        <translation>Supprimer &amp;toutes les requêtes filtrées…</translation>
    </message>
    <message>
        <source>Delete every request matching the filter</source>
        <translation>Supprimer toutes les requêtes correspondant au filtre</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>Actual&amp;iser</translation>
    </message>
    <message>
        <source>Read the history again</source>
        <translation>Relire l’historique</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>Rechercher</translation>
    </message>
    <message>
        <source>E&amp;xport…</source>
        <translation>E&amp;xporter…</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exporter</translation>
    </message>
    <message>
        <source>Save requests as HAR 1.2, JSON Lines or CSV</source>
        <translation>Enregistrer des requêtes au format HAR 1.2, JSON Lines ou CSV</translation>
    </message>
    <message>
        <source>The time range is empty: “From” must come before “Until”.</source>
        <translation>La période est vide&#xa0;: «&#xa0;Du&#xa0;» doit précéder «&#xa0;Jusqu’au&#xa0;».</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>Comptage…</translation>
    </message>
    <message>
        <source>1 request</source>
        <translation>1 requête</translation>
    </message>
    <message>
        <source>%1 requests</source>
        <translation>%1 requêtes</translation>
    </message>
    <message>
        <source>1 request matches</source>
        <translation>1 requête correspond</translation>
    </message>
    <message>
        <source>%1 requests match</source>
        <translation>%1 requêtes correspondent</translation>
    </message>
    <message>
        <source>New requests</source>
        <translation>Nouvelles requêtes</translation>
    </message>
    <message numerus="yes">
        <source>%n new</source>
        <translation>
            <numerusform>%n nouvelle</numerusform>
            <numerusform>%n nouvelles</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Show the %n new requests</source>
        <translation>
            <numerusform>Afficher la %n nouvelle requête</numerusform>
            <numerusform>Afficher les %n nouvelles requêtes</numerusform>
        </translation>
    </message>
    <message>
        <source>%1… (%2)</source>
        <translation>%1… (%2)</translation>
    </message>
    <message>
        <source>This request cannot be read: %1</source>
        <translation>Impossible de lire cette requête&#xa0;: %1</translation>
    </message>
    <message>
        <source>This request is no longer in the history.</source>
        <translation>Cette requête ne figure plus dans l’historique.</translation>
    </message>
    <message>
        <source>Copied a curl command for request %1; replace &lt;API_KEY&gt; with your key.</source>
        <translation>Commande curl de la requête %1 copiée&#xa0;; remplacez &lt;API_KEY&gt; par votre clé.</translation>
    </message>
    <message>
        <source>Copied a curl command for request %1, with your key.</source>
        <translation>Commande curl de la requête %1 copiée, avec votre clé.</translation>
    </message>
    <message>
        <source>Copy as curl</source>
        <translation>Copier en commande curl</translation>
    </message>
    <message>
        <source>Your API key, to put in the command (it is not stored):</source>
        <translation>Votre clé API, à insérer dans la commande (elle n’est pas conservée)&#xa0;:</translation>
    </message>
    <message>
        <source>Export matching requests</source>
        <translation>Exporter les requêtes filtrées</translation>
    </message>
    <message>
        <source>Export selected requests</source>
        <translation>Exporter les requêtes sélectionnées</translation>
    </message>
    <message>
        <source>The webhooks cannot be read: %1</source>
        <translation>Impossible de lire les webhooks&#xa0;: %1</translation>
    </message>
    <message>
        <source>The chart cannot be drawn: %1</source>
        <translation>Impossible de tracer le graphique&#xa0;: %1</translation>
    </message>
    <message>
        <source>%1 loaded; the others load as you scroll to them</source>
        <translation>%1 chargées ; les autres se chargent quand vous les faites défiler</translation>
    </message>
    <message>
        <source>The selection reaches requests that are not loaded. To act on every request matching the filter, use “Export matching” or “Delete all matching”.</source>
        <translation>La sélection inclut des requêtes non chargées. Pour agir sur toutes les requêtes correspondant au filtre, utilisez « Exporter les requêtes filtrées » ou « Supprimer toutes les requêtes filtrées ».</translation>
    </message>
    <message>
        <source>No request has arrived yet. Requests sent to a webhook&apos;s endpoint appear here as they arrive, accepted or rejected.</source>
        <translation>Aucune requête n’est encore arrivée. Les requêtes envoyées à l’adresse d’un webhook s’affichent ici dès leur arrivée, acceptées ou refusées.</translation>
    </message>
    <message>
        <source>No request matches the filter.</source>
        <translation>Aucune requête ne correspond au filtre.</translation>
    </message>
    <message>
        <source>Red&amp;eliver selected…</source>
        <translation>Re&amp;livrer la sélection…</translation>
    </message>
    <message>
        <source>Deliver the selected requests again to every destination of their webhooks</source>
        <translation>Livrer à nouveau les requêtes sélectionnées à chaque destination de leurs webhooks</translation>
    </message>
    <message>
        <source>Redeliver all ma&amp;tching…</source>
        <translation>Relivrer &amp;tout ce qui correspond…</translation>
    </message>
    <message>
        <source>Deliver every accepted request matching the filter again</source>
        <translation>Livrer à nouveau chaque requête acceptée correspondant au filtre</translation>
    </message>
    <message>
        <source>Re&amp;deliver</source>
        <translation>Reli&amp;vrer</translation>
    </message>
    <message>
        <source>Redeliver</source>
        <translation>Relivrer</translation>
    </message>
    <message>
        <source>Deliver requests again to their webhooks&apos; destinations</source>
        <translation>Livrer à nouveau des requêtes aux destinations de leurs webhooks</translation>
    </message>
</context>
<context>
    <name>Hooktrail::HttpClient</name>
    <message>
        <source>Enter an http:// or https:// URL.</source>
        <translation>Saisissez une URL http:// ou https://.</translation>
    </message>
    <message>
        <source>“%1” is not a valid method.</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas une méthode valide.</translation>
    </message>
    <message>
        <source>“%1” is not a valid header name.</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas un nom d’en-tête valide.</translation>
    </message>
    <message>
        <source>The value of %1 holds a line break, which HTTP does not allow.</source>
        <translation>La valeur de %1 contient un saut de ligne, ce que HTTP n’autorise pas.</translation>
    </message>
    <message>
        <source>This system has no TLS library, so https:// URLs cannot be reached.</source>
        <translation>Ce système n’a pas de bibliothèque TLS&#xa0;: les URL https:// sont inaccessibles.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Annulée.</translation>
    </message>
    <message numerus="yes">
        <source>Nothing came for %n second(s).</source>
        <translation>
            <numerusform>Rien n’est arrivé pendant %n seconde.</numerusform>
            <numerusform>Rien n’est arrivé pendant %n secondes.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Hooktrail::ImportPreviewDialog</name>
    <message>
        <source>&amp;Keep ids (endpoints stay the same)</source>
        <translation>&amp;Garder les identifiants (les points de terminaison restent les mêmes)</translation>
    </message>
    <message>
        <source>Import webhooks</source>
        <translation>Importer des webhooks</translation>
    </message>
    <message>
        <source>From %1. Nothing is added until you click Import.</source>
        <translation>Depuis %1. Rien n’est ajouté avant que vous cliquiez sur Importer.</translation>
    </message>
    <message>
        <source>Each webhook keeps the id it has in the file, so its endpoint URL is the one senders already use. A webhook whose id is here already is skipped.</source>
        <translation>Chaque webhook garde l’identifiant qu’il a dans le fichier, donc l’URL de son point de terminaison reste celle que les expéditeurs utilisent déjà. Un webhook dont l’identifiant est déjà ici est ignoré.</translation>
    </message>
    <message>
        <source>The file has no ids (it was exported by an earlier Hooktrail): each webhook gets a new id and a new endpoint URL.</source>
        <translation>Le fichier ne contient pas d’identifiants (il a été exporté par une version antérieure de Hooktrail)&#xa0;: chaque webhook reçoit un nouvel identifiant et une nouvelle URL de point de terminaison.</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>&amp;Importer</translation>
    </message>
    <message>
        <source>Webhooks in the file</source>
        <translation>Webhooks du fichier</translation>
    </message>
    <message>
        <source>Webhook</source>
        <translation>Webhook</translation>
    </message>
    <message>
        <source>Methods</source>
        <translation>Méthodes</translation>
    </message>
    <message>
        <source>What happens</source>
        <translation>Ce qui se passe</translation>
    </message>
    <message>
        <source>Skipped: %1</source>
        <translation>Ignoré&#xa0;: %1</translation>
    </message>
    <message>
        <source>Added as “%1” (the name is in use), same endpoint</source>
        <translation>Ajouté sous le nom «&#xa0;%1&#xa0;» (le nom est déjà pris), même point de terminaison</translation>
    </message>
    <message>
        <source>Added as “%1” (the name is in use), new endpoint</source>
        <translation>Ajouté sous le nom «&#xa0;%1&#xa0;» (le nom est déjà pris), nouveau point de terminaison</translation>
    </message>
    <message>
        <source>Added, same endpoint</source>
        <translation>Ajouté, même point de terminaison</translation>
    </message>
    <message>
        <source>Added, new endpoint</source>
        <translation>Ajouté, nouveau point de terminaison</translation>
    </message>
    <message>
        <source>(webhook %1 of the file, unnamed)</source>
        <translation>(webhook n°&#xa0;%1 du fichier, sans nom)</translation>
    </message>
    <message>
        <source>No id in the file</source>
        <translation>Pas d’identifiant dans le fichier</translation>
    </message>
    <message>
        <source>Id in the file: %1</source>
        <translation>Identifiant dans le fichier&#xa0;: %1</translation>
    </message>
    <message>
        <source>Webhooks in the file: %1. To add: %2 (renamed: %3). Skipped: %4.</source>
        <translation>Webhooks dans le fichier&#xa0;: %1. À ajouter&#xa0;: %2 (renommés&#xa0;: %3). Ignorés&#xa0;: %4.</translation>
    </message>
    <message>
        <source>Nothing in the file can be added.</source>
        <translation>Rien dans le fichier ne peut être ajouté.</translation>
    </message>
</context>
<context>
    <name>Hooktrail::IpRange</name>
    <message>
        <source>empty address</source>
        <translation>adresse vide</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not an IPv4 or IPv6 address</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas une adresse IPv4 ou IPv6</translation>
    </message>
    <message>
        <source>prefix length must be 0 to %1</source>
        <translation>la longueur du préfixe doit être comprise entre 0 et %1</translation>
    </message>
</context>
<context>
    <name>Hooktrail::JsonTreeModel</name>
    <message>
        <source>object</source>
        <translation>objet</translation>
    </message>
    <message>
        <source>array</source>
        <translation>tableau</translation>
    </message>
    <message>
        <source>string</source>
        <translation>chaîne</translation>
    </message>
    <message>
        <source>number</source>
        <translation>nombre</translation>
    </message>
    <message>
        <source>boolean</source>
        <translation>booléen</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Clé</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valeur</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Type</translation>
    </message>
</context>
<context>
    <name>Hooktrail::KeysManager</name>
    <message>
        <source>&amp;Create key</source>
        <translation>C&amp;réer la clé</translation>
    </message>
    <message>
        <source>&amp;Revoke…</source>
        <translation>Ré&amp;voquer…</translation>
    </message>
    <message>
        <source>Senders prove who they are with an API key, in the api-key query parameter or an X-Api-Key header. Hooktrail stores only a hash of each key, so a key is shown once, when it is created.</source>
        <translation>Les expéditeurs s’identifient avec une clé API, dans le paramètre d’URL api-key ou dans un en-tête X-Api-Key. Hooktrail ne conserve qu’une empreinte de chaque clé&#xa0;: une clé n’est donc affichée qu’une seule fois, lors de sa création.</translation>
    </message>
    <message>
        <source>API keys</source>
        <translation>Clés API</translation>
    </message>
    <message>
        <source>Revoke key</source>
        <translation>Révoquer la clé</translation>
    </message>
    <message>
        <source>Name of the new key</source>
        <translation>Nom de la nouvelle clé</translation>
    </message>
    <message>
        <source>e.g. the sender that will use it</source>
        <translation>p. ex. l’expéditeur qui l’utilisera</translation>
    </message>
    <message>
        <source>New key &amp;name:</source>
        <translation>&amp;Nom de la nouvelle clé&#xa0;:</translation>
    </message>
    <message>
        <source>Create key</source>
        <translation>Créer la clé</translation>
    </message>
    <message>
        <source>Creates a key with this name and shows it once</source>
        <translation>Crée une clé portant ce nom et l’affiche une seule fois</translation>
    </message>
    <message>
        <source>Refuses every request that uses the selected key from now on (Delete)</source>
        <translation>Refuse désormais toute requête utilisant la clé sélectionnée (Suppr)</translation>
    </message>
    <message>
        <source>Problem with API keys</source>
        <translation>Problème avec les clés API</translation>
    </message>
    <message>
        <source>The database is not available.</source>
        <translation>La base de données n’est pas disponible.</translation>
    </message>
    <message>
        <source>The keys cannot be listed: %1</source>
        <translation>Impossible de lister les clés&#xa0;: %1</translation>
    </message>
    <message>
        <source>Give the key a name, e.g. the sender that will use it.</source>
        <translation>Donnez un nom à la clé, par exemple l’expéditeur qui l’utilisera.</translation>
    </message>
    <message>
        <source>The key could not be created: %1</source>
        <translation>Impossible de créer la clé&#xa0;: %1</translation>
    </message>
    <message>
        <source>Revoke API key</source>
        <translation>Révoquer la clé API</translation>
    </message>
    <message>
        <source>Revoke key %1 (%2)? Senders using it will be refused.</source>
        <translation>Révoquer la clé %1 (%2)&#xa0;? Les expéditeurs qui l’utilisent seront refusés.</translation>
    </message>
    <message>
        <source>The key stays listed, and the history keeps showing which requests used it.</source>
        <translation>La clé reste dans la liste, et l’historique continue d’indiquer quelles requêtes l’ont utilisée.</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>Révoquer</translation>
    </message>
    <message>
        <source>Key %1 could not be revoked: %2</source>
        <translation>Impossible de révoquer la clé %1&#xa0;: %2</translation>
    </message>
</context>
<context>
    <name>Hooktrail::MainWindow</name>
    <message>
        <source>Hooktrail</source>
        <translation>Hooktrail</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Pages</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Historique</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <source>Receiver state</source>
        <translation>État du récepteur</translation>
    </message>
    <message>
        <source>Requests in the last minute</source>
        <translation>Requêtes de la dernière minute</translation>
    </message>
    <message>
        <source>Database size</source>
        <translation>Taille de la base de données</translation>
    </message>
    <message>
        <source>Not receiving: %1</source>
        <translation>Réception inactive&#xa0;: %1</translation>
    </message>
    <message>
        <source>Change the port in Settings; the history stays readable.</source>
        <translation>Changez le port dans Paramètres&#xa0;; l’historique reste consultable.</translation>
    </message>
    <message>
        <source>Receiving on %1</source>
        <translation>Réception sur %1</translation>
    </message>
    <message>
        <source>Requests in the last minute: %1</source>
        <translation>Requêtes de la dernière minute&#xa0;: %1</translation>
    </message>
    <message>
        <source>Database: %1</source>
        <translation>Base de données&#xa0;: %1</translation>
    </message>
    <message>
        <source>Retention</source>
        <translation>Conservation</translation>
    </message>
    <message>
        <source>Requests older or more numerous than the retention settings allow are removed in the background</source>
        <translation>Les requêtes plus anciennes ou plus nombreuses que ne le permettent les paramètres de conservation sont supprimées en arrière-plan</translation>
    </message>
    <message>
        <source>Retention: last run %1, %2 removed</source>
        <translation>Conservation&#xa0;: dernière exécution à %1, requêtes supprimées&#xa0;: %2</translation>
    </message>
    <message>
        <source>Database: PostgreSQL</source>
        <translation>Base de données : PostgreSQL</translation>
    </message>
    <message>
        <source>Refusing requests (503): %1 free on the database&apos;s disk, less than the %2 to keep free</source>
        <translation>Requêtes refusées (503)&#xa0;: %1 libres sur le disque de la base, moins que les %2 à garder libres</translation>
    </message>
    <message>
        <source>Senders are told to retry later. Make room on the disk, or lower &quot;Keep free on disk&quot; in Settings; requests are taken again by themselves.</source>
        <translation>Les émetteurs sont invités à réessayer plus tard. Libérez de la place sur le disque ou abaissez «&#xa0;Garder libre sur le disque&#xa0;» dans Paramètres&#xa0;; les requêtes sont de nouveau acceptées d’elles-mêmes.</translation>
    </message>
    <message>
        <source>Refusing requests (503): the request log cannot be written: %1</source>
        <translation>Requêtes refusées (503)&#xa0;: le journal des requêtes ne peut pas être écrit&#xa0;: %1</translation>
    </message>
    <message>
        <source>Senders are told to retry later; requests are taken again as soon as the database can be written.</source>
        <translation>Les émetteurs sont invités à réessayer plus tard&#xa0;; les requêtes sont de nouveau acceptées dès que la base peut être écrite.</translation>
    </message>
    <message>
        <source>Webhooks</source>
        <translation>Webhooks</translation>
    </message>
    <message>
        <source>Off.</source>
        <translation>Désactivée.</translation>
    </message>
    <message>
        <source>%1 is not an address and port.</source>
        <translation>%1 n’est pas une adresse suivie d’un port.</translation>
    </message>
    <message>
        <source>Serving on http://%1:%2/api/v1/</source>
        <translation>En service sur http://%1:%2/api/v1/</translation>
    </message>
</context>
<context>
    <name>Hooktrail::NewKeyPanel</name>
    <message>
        <source>C&amp;opy</source>
        <translation>C&amp;opier</translation>
    </message>
    <message>
        <source>Copy this key now; Hooktrail keeps only its hash and cannot show it again.</source>
        <translation>Copiez cette clé maintenant&#xa0;; Hooktrail n’en conserve que l’empreinte et ne pourra plus l’afficher.</translation>
    </message>
    <message>
        <source>New API key</source>
        <translation>Nouvelle clé API</translation>
    </message>
    <message>
        <source>Copy the new key</source>
        <translation>Copier la nouvelle clé</translation>
    </message>
    <message>
        <source>Puts the whole key on the clipboard</source>
        <translation>Copie la clé complète dans le presse-papiers</translation>
    </message>
    <message>
        <source>&amp;Done</source>
        <translation>T&amp;erminé</translation>
    </message>
    <message>
        <source>Done with the new key</source>
        <translation>Terminer avec la nouvelle clé</translation>
    </message>
    <message>
        <source>Hides the key; it cannot be shown again</source>
        <translation>Masque la clé&#xa0;; elle ne pourra plus être affichée</translation>
    </message>
    <message>
        <source>New key “%1”</source>
        <translation>Nouvelle clé «&#xa0;%1&#xa0;»</translation>
    </message>
    <message>
        <source>Copied to the clipboard.</source>
        <translation>Copiée dans le presse-papiers.</translation>
    </message>
</context>
<context>
    <name>Hooktrail::Notification</name>
    <message>
        <source>Dismiss</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Dismiss this message (%1)</source>
        <translation>Fermer ce message (%1)</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Erreur</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>Avis</translation>
    </message>
</context>
<context>
    <name>Hooktrail::Receiver</name>
    <message>
        <source>cannot listen on %1: %2</source>
        <translation>impossible d’écouter sur %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>cannot use the TLS certificate: %1</source>
        <translation>impossible d’utiliser le certificat TLS : %1</translation>
    </message>
</context>
<context>
    <name>Hooktrail::RedeliverController</name>
    <message numerus="yes">
        <source>Deliver the %Ln accepted request(s) matching the filter again?</source>
        <translation>
            <numerusform>Livrer à nouveau %Ln requête acceptée correspondant au filtre&#xa0;?</numerusform>
            <numerusform>Livrer à nouveau les %Ln requêtes acceptées correspondant au filtre&#xa0;?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Deliver the %Ln selected request(s) again?</source>
        <translation>
            <numerusform>Livrer à nouveau %Ln requête sélectionnée&#xa0;?</numerusform>
            <numerusform>Livrer à nouveau les %Ln requêtes sélectionnées&#xa0;?</numerusform>
        </translation>
    </message>
    <message>
        <source>Redeliver requests</source>
        <translation>Relivrer des requêtes</translation>
    </message>
    <message>
        <source>Every destination of their webhooks receives them once more, with the same X-Hooktrail-Request-Id; deliveries already on their way finish first.</source>
        <translation>Chaque destination de leurs webhooks les reçoit une fois de plus, avec le même X-Hooktrail-Request-Id&#xa0;; les livraisons déjà en cours se terminent d’abord.</translation>
    </message>
    <message>
        <source>&amp;Redeliver</source>
        <translation>&amp;Relivrer</translation>
    </message>
    <message>
        <source>Only accepted requests are delivered: nothing to redeliver.</source>
        <translation>Seules les requêtes acceptées sont livrées&#xa0;: rien à relivrer.</translation>
    </message>
    <message>
        <source>Only accepted requests are delivered: the filter shows rejected ones.</source>
        <translation>Seules les requêtes acceptées sont livrées&#xa0;: le filtre montre des requêtes refusées.</translation>
    </message>
    <message>
        <source>The requests cannot be counted: %1</source>
        <translation>Impossible de compter les requêtes&#xa0;: %1</translation>
    </message>
    <message>
        <source>No accepted request matches the filter: nothing to redeliver.</source>
        <translation>Aucune requête acceptée ne correspond au filtre&#xa0;: rien à relivrer.</translation>
    </message>
    <message>
        <source>Scheduling deliveries…</source>
        <translation>Planification des livraisons…</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Arrêter</translation>
    </message>
    <message>
        <source>Scheduling deliveries… %1 of %2 requests</source>
        <translation>Planification des livraisons… %1 requêtes sur %2</translation>
    </message>
    <message numerus="yes">
        <source>Redelivery stopped after %Ln request(s): %1</source>
        <translation>
            <numerusform>Nouvelle livraison arrêtée après %Ln requête&#xa0;: %1</numerusform>
            <numerusform>Nouvelle livraison arrêtée après %Ln requêtes&#xa0;: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Redelivery stopped: %1 of %2 requests scheduled again (%Ln delivery(s)).</source>
        <translation>
            <numerusform>Nouvelle livraison arrêtée&#xa0;: %1 requêtes sur %2 replanifiées (%Ln livraison).</numerusform>
            <numerusform>Nouvelle livraison arrêtée&#xa0;: %1 requêtes sur %2 replanifiées (%Ln livraisons).</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing to redeliver: their webhooks have no destination.</source>
        <translation>Rien à relivrer&#xa0;: leurs webhooks n’ont aucune destination.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln delivery(s) scheduled again.</source>
        <translation>
            <numerusform>%Ln livraison replanifiée.</numerusform>
            <numerusform>%Ln livraisons replanifiées.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Hooktrail::ReplayDialog</name>
    <message>
        <source>Replay request %1</source>
        <translation>Rejouer la requête %1</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL de destination</translation>
    </message>
    <message>
        <source>Where to send the request; by default the endpoint it reached</source>
        <translation>Où envoyer la requête&#xa0;; par défaut, le point de terminaison qu’elle a atteint</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Méthode</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>Clé API</translation>
    </message>
    <message>
        <source>Edit a cell to change a header; an empty name is not sent</source>
        <translation>Modifiez une cellule pour changer un en-tête&#xa0;; un en-tête sans nom n’est pas envoyé</translation>
    </message>
    <message>
        <source>Body</source>
        <translation>Corps</translation>
    </message>
    <message>
        <source>&amp;URL:</source>
        <translation>&amp;URL&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Method:</source>
        <translation>&amp;Méthode&#xa0;:</translation>
    </message>
    <message>
        <source>API &amp;key:</source>
        <translation>&amp;Clé API&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Headers:</source>
        <translation>En-&amp;têtes&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Body:</source>
        <translation>C&amp;orps&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation>&amp;Envoyer</translation>
    </message>
    <message>
        <source>Send the request</source>
        <translation>Envoyer la requête</translation>
    </message>
    <message>
        <source>Sends the request again, exactly as it was received unless you edit it here. Secrets were not logged: type the API key in its field, and replace any *** value you need.</source>
        <translation>Renvoie la requête exactement telle qu’elle a été reçue, sauf ce que vous modifiez ici. Les secrets n’ont pas été journalisés&#xa0;: saisissez la clé API dans son champ et remplacez les valeurs *** dont vous avez besoin.</translation>
    </message>
    <message>
        <source>Sent as the %1 parameter of the URL, where the request had it.</source>
        <translation>Envoyée dans le paramètre d’URL %1, là où la requête l’avait.</translation>
    </message>
    <message>
        <source>Sent in the %1 header, where the request had it.</source>
        <translation>Envoyée dans l’en-tête %1, là où la requête l’avait.</translation>
    </message>
    <message>
        <source>The request had no key; one typed here is sent as the api-key parameter.</source>
        <translation>La requête n’avait pas de clé&#xa0;; celle saisie ici est envoyée dans le paramètre d’URL api-key.</translation>
    </message>
    <message>
        <source>Filled with the key the receiver accepted earlier in this run.</source>
        <translation>Préremplie avec la clé que le récepteur a acceptée plus tôt dans cette session.</translation>
    </message>
    <message>
        <source>Sent as listed, in this order. Host, Content-Length and Connection are set for the URL and body; nothing else is added.</source>
        <translation>Envoyés tels quels, dans cet ordre. Host, Content-Length et Connection sont définis d’après l’URL et le corps&#xa0;; rien d’autre n’est ajouté.</translation>
    </message>
    <message>
        <source>Sent byte for byte as received; once edited, as UTF-8</source>
        <translation>Envoyé octet pour octet tel que reçu&#xa0;; une fois modifié, en UTF-8</translation>
    </message>
    <message numerus="yes">
        <source>The logged body is binary (%n byte(s)); it is sent as received.</source>
        <translation>
            <numerusform>Le corps journalisé est binaire (%n octet)&#xa0;; il est envoyé tel que reçu.</numerusform>
            <numerusform>Le corps journalisé est binaire (%n octets)&#xa0;; il est envoyé tel que reçu.</numerusform>
        </translation>
    </message>
    <message>
        <source>Not sent: %1</source>
        <translation>Non envoyée&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>Hooktrail::RequestDetailView</name>
    <message>
        <source>Request details</source>
        <translation>Détails de la requête</translation>
    </message>
    <message>
        <source>Received:</source>
        <translation>Reçue&#xa0;:</translation>
    </message>
    <message>
        <source>Request id:</source>
        <translation>Identifiant de la requête&#xa0;:</translation>
    </message>
    <message>
        <source>Webhook:</source>
        <translation>Webhook&#xa0;:</translation>
    </message>
    <message>
        <source>Request:</source>
        <translation>Requête&#xa0;:</translation>
    </message>
    <message>
        <source>Client:</source>
        <translation>Client&#xa0;:</translation>
    </message>
    <message>
        <source>Outcome:</source>
        <translation>Résultat&#xa0;:</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>Statut&#xa0;:</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>Raison&#xa0;:</translation>
    </message>
    <message>
        <source>Detail:</source>
        <translation>Détail&#xa0;:</translation>
    </message>
    <message>
        <source>API key:</source>
        <translation>Clé API&#xa0;:</translation>
    </message>
    <message>
        <source>Handling time:</source>
        <translation>Durée de traitement&#xa0;:</translation>
    </message>
    <message>
        <source>Receiver:</source>
        <translation>Récepteur&#xa0;:</translation>
    </message>
    <message>
        <source>Body:</source>
        <translation>Corps&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Overview</source>
        <translation>&amp;Aperçu</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valeur</translation>
    </message>
    <message>
        <source>Request headers</source>
        <translation>En-têtes de la requête</translation>
    </message>
    <message>
        <source>Header</source>
        <translation>En-tête</translation>
    </message>
    <message>
        <source>&amp;Headers</source>
        <translation>&amp;En-têtes</translation>
    </message>
    <message>
        <source>Query parameters</source>
        <translation>Paramètres d’URL</translation>
    </message>
    <message>
        <source>Parameter</source>
        <translation>Paramètre</translation>
    </message>
    <message>
        <source>The query string, percent-decoded</source>
        <translation>La chaîne de requête, encodage-pourcent décodé</translation>
    </message>
    <message>
        <source>&amp;Query</source>
        <translation>Paramètres d’&amp;URL</translation>
    </message>
    <message>
        <source>&amp;Body</source>
        <translation>C&amp;orps</translation>
    </message>
    <message>
        <source>Raw request</source>
        <translation>Requête brute</translation>
    </message>
    <message>
        <source>&amp;Raw</source>
        <translation>&amp;Brut</translation>
    </message>
    <message>
        <source>Body in hexadecimal</source>
        <translation>Corps en hexadécimal</translation>
    </message>
    <message>
        <source>He&amp;x</source>
        <translation>&amp;Hexa</translation>
    </message>
    <message>
        <source>Show &amp;all</source>
        <translation>Tout a&amp;fficher</translation>
    </message>
    <message>
        <source>Show all of %1</source>
        <translation>Tout afficher&#xa0;: %1</translation>
    </message>
    <message>
        <source>Show the whole content; a very large one takes a moment</source>
        <translation>Afficher tout le contenu&#xa0;; un contenu très volumineux demande un moment</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Select a request to see it here.</source>
        <translation>Sélectionnez une requête pour l’afficher ici.</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>None: the path named no known webhook</source>
        <translation>Aucun&#xa0;: le chemin ne désigne aucun webhook connu</translation>
    </message>
    <message>
        <source>%1 (no longer exists)</source>
        <translation>%1 (n’existe plus)</translation>
    </message>
    <message>
        <source>%1 %2 %3</source>
        <translation>%1 %2 %3</translation>
    </message>
    <message>
        <source>%1, forwarded for %2</source>
        <translation>%1, relayée pour %2</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>Acceptée</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Refusée</translation>
    </message>
    <message>
        <source>A key that no longer exists</source>
        <translation>Une clé qui n’existe plus</translation>
    </message>
    <message>
        <source>Empty</source>
        <translation>Vide</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>no content type</source>
        <translation>aucun type de contenu</translation>
    </message>
    <message>
        <source>&amp;Query (%1)</source>
        <translation>Paramètres d’&amp;URL (%1)</translation>
    </message>
    <message>
        <source>&amp;Headers (%1)</source>
        <translation>&amp;En-têtes (%1)</translation>
    </message>
    <message>
        <source>No body.</source>
        <translation>Aucun corps.</translation>
    </message>
    <message numerus="yes">
        <source>[%n bytes of binary content: see the Hex tab]</source>
        <translation>
            <numerusform>[%n octet de contenu binaire&#xa0;: voir l’onglet Hexa]</numerusform>
            <numerusform>[%n octets de contenu binaire&#xa0;: voir l’onglet Hexa]</numerusform>
        </translation>
    </message>
    <message>
        <source>Showing the first %1 of the body.</source>
        <translation>Seuls les premiers %1 du corps sont affichés.</translation>
    </message>
    <message>
        <source>Showing the first %1 of %2.</source>
        <translation>Seuls les premiers %1 sur %2 sont affichés.</translation>
    </message>
    <message>
        <source>%1 µs</source>
        <translation>%1&#xa0;µs</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1&#xa0;ms</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1&#xa0;s</translation>
    </message>
    <message>
        <source>Cop&amp;y tab</source>
        <translation>Cop&amp;ier l’onglet</translation>
    </message>
    <message>
        <source>Copy this tab&apos;s content as text (%1)</source>
        <translation>Copier le contenu de cet onglet en texte (%1)</translation>
    </message>
    <message>
        <source>Copy tab</source>
        <translation>Copier l’onglet</translation>
    </message>
    <message>
        <source>Overview copied.</source>
        <translation>Aperçu copié.</translation>
    </message>
    <message>
        <source>Headers copied.</source>
        <translation>En-têtes copiés.</translation>
    </message>
    <message>
        <source>Query parameters copied.</source>
        <translation>Paramètres de requête copiés.</translation>
    </message>
    <message>
        <source>Body copied.</source>
        <translation>Corps copié.</translation>
    </message>
    <message>
        <source>Raw request copied.</source>
        <translation>Requête brute copiée.</translation>
    </message>
    <message>
        <source>Hexadecimal view copied.</source>
        <translation>Vue hexadécimale copiée.</translation>
    </message>
    <message>
        <source>Response copied.</source>
        <translation>Réponse copiée.</translation>
    </message>
    <message>
        <source>Only the part shown was copied: “Show all” first to copy everything.</source>
        <translation>Seule la partie affichée a été copiée&#xa0;: cliquez d’abord sur «&#xa0;Tout afficher&#xa0;» pour tout copier.</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Copié</translation>
    </message>
    <message>
        <source>Res&amp;ponse</source>
        <translation>Ré&amp;ponse</translation>
    </message>
    <message>
        <source>Response sent</source>
        <translation>Réponse envoyée</translation>
    </message>
    <message>
        <source>The response the receiver sent for this request</source>
        <translation>La réponse que le récepteur a envoyée pour cette requête</translation>
    </message>
    <message>
        <source>%1. None of it was kept.</source>
        <translation>%1. Rien n’en a été conservé.</translation>
    </message>
    <message>
        <source>%1. Only its first %2 were kept.</source>
        <translation>%1. Seuls les %2 premiers ont été conservés.</translation>
    </message>
    <message>
        <source>No key was sent.</source>
        <translation>Aucune clé n’a été envoyée.</translation>
    </message>
    <message>
        <source>The key sent matches none of the keys.</source>
        <translation>La clé envoyée ne correspond à aucune des clés.</translation>
    </message>
    <message>
        <source>Not checked: the request was refused before its key was looked at.</source>
        <translation>Non vérifiée&#xa0;: la requête a été refusée avant l’examen de sa clé.</translation>
    </message>
    <message>
        <source>No key matched.</source>
        <translation>Aucune clé ne correspondait.</translation>
    </message>
    <message>
        <source>Deli&amp;veries</source>
        <translation>Li&amp;vraisons</translation>
    </message>
    <message>
        <source>Deliveries copied.</source>
        <translation>Livraisons copiées.</translation>
    </message>
    <message>
        <source>Deli&amp;veries (%1)</source>
        <translation>Li&amp;vraisons (%1)</translation>
    </message>
</context>
<context>
    <name>Hooktrail::RequestExport</name>
    <message>
        <source>cannot write the export: %1</source>
        <translation>impossible d’écrire l’export&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>Hooktrail::RequestSender</name>
    <message>
        <source>Ca&amp;ncel</source>
        <translation>A&amp;nnuler</translation>
    </message>
    <message>
        <source>Not sent yet.</source>
        <translation>Pas encore envoyée.</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>Envoi en cours</translation>
    </message>
    <message>
        <source>Cancel the request</source>
        <translation>Annuler la requête</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valeur</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Envoi…</translation>
    </message>
    <message>
        <source>HTTP %1 %2</source>
        <translation>HTTP %1 %2</translation>
    </message>
    <message>
        <source>Response status</source>
        <translation>Statut de la réponse</translation>
    </message>
    <message>
        <source>Logged request</source>
        <translation>Requête journalisée</translation>
    </message>
    <message>
        <source>Response headers</source>
        <translation>En-têtes de la réponse</translation>
    </message>
    <message>
        <source>Response body</source>
        <translation>Corps de la réponse</translation>
    </message>
    <message>
        <source>Not logged.</source>
        <translation>Non journalisée.</translation>
    </message>
    <message>
        <source>Logged as request %1</source>
        <translation>Journalisée comme requête %1</translation>
    </message>
    <message>
        <source>Open this request in the History</source>
        <translation>Ouvrir cette requête dans l’historique</translation>
    </message>
    <message>
        <source>No response from %1: %2</source>
        <translation>Aucune réponse de %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>HTTP %1 %2 (the body is cut at %3 MiB)</source>
        <translation>HTTP %1 %2 (corps tronqué à %3&#xa0;Mio)</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>Acceptée</translation>
    </message>
    <message>
        <source>Rejected: %1</source>
        <translation>Refusée&#xa0;: %1</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <comment>HTTP status line — what the receiver made of it</comment>
        <translation>%1 — %2</translation>
    </message>
</context>
<context>
    <name>Hooktrail::RequestSummary</name>
    <message>
        <source>Request summary</source>
        <translation>Résumé de la requête</translation>
    </message>
    <message>
        <source>Method: %1</source>
        <translation>Méthode&#xa0;: %1</translation>
    </message>
    <message>
        <source>Accepted, status %1</source>
        <translation>Acceptée, statut %1</translation>
    </message>
    <message>
        <source>Rejected, status %1</source>
        <translation>Refusée, statut %1</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>Acceptée</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Refusée</translation>
    </message>
    <message>
        <source>Reason: %1</source>
        <translation>Motif&#xa0;: %1</translation>
    </message>
    <message>
        <source>Received: %1</source>
        <translation>Reçue&#xa0;: %1</translation>
    </message>
    <message>
        <source>No body</source>
        <translation>Aucun corps</translation>
    </message>
    <message>
        <source>Body size: %1</source>
        <translation>Taille du corps&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>Hooktrail::RequestTableModel</name>
    <message>
        <source>No database is available.</source>
        <translation>Aucune base de données n’est disponible.</translation>
    </message>
    <message>
        <source>The requests cannot be counted: %1</source>
        <translation>Impossible de compter les requêtes&#xa0;: %1</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Webhook</source>
        <translation>Webhook</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Méthode</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Chemin</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <source>Content type</source>
        <translation>Type de contenu</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>Acceptée</translation>
    </message>
    <message>
        <source>Rejected: %1</source>
        <translation>Refusée&#xa0;: %1</translation>
    </message>
    <message>
        <source>The path named no known webhook</source>
        <translation>Le chemin ne désigne aucun webhook connu</translation>
    </message>
    <message>
        <source>%1, forwarded for %2</source>
        <translation>%1, relayée pour %2</translation>
    </message>
    <message numerus="yes">
        <source>%n bytes (not all kept)</source>
        <translation>
            <numerusform>%n octet (non conservé en entier)</numerusform>
            <numerusform>%n octets (pas tous conservés)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n bytes</source>
        <translation>
            <numerusform>%n octet</numerusform>
            <numerusform>%n octets</numerusform>
        </translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Chargement…</translation>
    </message>
    <message>
        <source>%1
%2</source>
        <comment>reason (code), then its detail</comment>
        <translation>%1
%2</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>Livraison</translation>
    </message>
    <message>
        <source>No destination received this request</source>
        <translation>Aucune destination n’a reçu cette requête</translation>
    </message>
    <message>
        <source>Every destination answered 2xx</source>
        <translation>Chaque destination a répondu 2xx</translation>
    </message>
    <message>
        <source>Waiting for its first attempt</source>
        <translation>En attente de sa première tentative</translation>
    </message>
    <message>
        <source>An attempt failed; another is scheduled (see the Deliveries tab)</source>
        <translation>Une tentative a échoué&#xa0;; une autre est prévue (voir l’onglet Livraisons)</translation>
    </message>
    <message>
        <source>A destination gave up on this request (see the Deliveries tab)</source>
        <translation>Une destination a renoncé à cette requête (voir l’onglet Livraisons)</translation>
    </message>
</context>
<context>
    <name>Hooktrail::ResponseSection</name>
    <message>
        <source>Response</source>
        <translation>Réponse</translation>
    </message>
    <message>
        <source>Hooktrail JSON (the contract&apos;s answer)</source>
        <translation>JSON de Hooktrail (la réponse du contrat)</translation>
    </message>
    <message>
        <source>Empty 204</source>
        <translation>204 vide</translation>
    </message>
    <message>
        <source>Echo the request id as text</source>
        <translation>Renvoyer l’identifiant de la requête en texte</translation>
    </message>
    <message>
        <source>Fail with 500 (to test retries)</source>
        <translation>Échouer avec 500 (pour tester les nouvelles tentatives)</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Personnalisée</translation>
    </message>
    <message>
        <source>What an accepted request is answered. Rejections always get the contract&apos;s JSON, and no answer leaves before the request is in the log.</source>
        <translation>La réponse donnée à une requête acceptée. Les refus reçoivent toujours le JSON du contrat, et aucune réponse ne part avant que la requête soit journalisée.</translation>
    </message>
    <message>
        <source>Res&amp;ponse:</source>
        <translation>Ré&amp;ponse&#xa0;:</translation>
    </message>
    <message>
        <source>Response status</source>
        <translation>Statut de la réponse</translation>
    </message>
    <message>
        <source>Response delay in milliseconds</source>
        <translation>Délai de réponse en millisecondes</translation>
    </message>
    <message>
        <source> ms</source>
        <translation>&#xa0;ms</translation>
    </message>
    <message>
        <source>Wait this long before answering (up to 30 s), e.g. to see a sender&apos;s timeout; the receiver serves others meanwhile.</source>
        <translation>Attendre ce délai avant de répondre (30&#xa0;s au maximum), p. ex. pour observer le délai d’expiration d’un expéditeur&#xa0;; le récepteur traite les autres requêtes pendant ce temps.</translation>
    </message>
    <message>
        <source>De&amp;lay:</source>
        <translation>Dé&amp;lai&#xa0;:</translation>
    </message>
    <message>
        <source>Stat&amp;us:</source>
        <translation>Stat&amp;ut&#xa0;:</translation>
    </message>
    <message>
        <source>Response content type</source>
        <translation>Type de contenu de la réponse</translation>
    </message>
    <message>
        <source>Content type:</source>
        <translation>Type de contenu&#xa0;:</translation>
    </message>
    <message>
        <source>Response body</source>
        <translation>Corps de la réponse</translation>
    </message>
    <message>
        <source>{{requestId}} and {{receivedAt}} are replaced</source>
        <translation>{{requestId}} et {{receivedAt}} sont remplacés</translation>
    </message>
    <message>
        <source>Body:</source>
        <translation>Corps&#xa0;:</translation>
    </message>
    <message>
        <source>Response headers</source>
        <translation>En-têtes de la réponse</translation>
    </message>
    <message>
        <source>Add response header</source>
        <translation>Ajouter un en-tête de réponse</translation>
    </message>
    <message>
        <source>Remove selected response headers</source>
        <translation>Supprimer les en-têtes de réponse sélectionnés</translation>
    </message>
    <message>
        <source>Headers:</source>
        <translation>En-têtes&#xa0;:</translation>
    </message>
</context>
<context>
    <name>Hooktrail::Schema</name>
    <message>
        <source>the database has schema version %1, newer than this Hooktrail (%2); use a newer Hooktrail</source>
        <translation>la base de données a le schéma en version %1, plus récent que ce Hooktrail (%2)&#xa0;; utilisez un Hooktrail plus récent</translation>
    </message>
</context>
<context>
    <name>Hooktrail::Settings</name>
    <message>
        <source>Expected postgresql://user@host[:port]/database.</source>
        <translation>Attendu : postgresql://utilisateur@hôte[:port]/base.</translation>
    </message>
    <message>
        <source>Leave the password out: it would be stored in clear. Give it through PGPASSWORD or ~/.pgpass instead.</source>
        <translation>Retirez le mot de passe : il serait enregistré en clair. Donnez-le plutôt par PGPASSWORD ou ~/.pgpass.</translation>
    </message>
</context>
<context>
    <name>Hooktrail::SettingsPage</name>
    <message>
        <source>Enter the address to listen on, e.g. 127.0.0.1.</source>
        <translation>Saisissez l’adresse d’écoute, par exemple 127.0.0.1.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not an IP address. Use 127.0.0.1 for this computer only, or 0.0.0.0 or :: for every network interface.</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas une adresse IP. Utilisez 127.0.0.1 pour cet ordinateur uniquement, ou 0.0.0.0 ou :: pour toutes les interfaces réseau.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a valid URL.</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas une URL valide.</translation>
    </message>
    <message>
        <source>The public base URL must start with http:// or https://.</source>
        <translation>L’URL de base publique doit commencer par http:// ou https://.</translation>
    </message>
    <message>
        <source>The public base URL needs a host name.</source>
        <translation>L’URL de base publique doit contenir un nom d’hôte.</translation>
    </message>
    <message>
        <source>The public base URL cannot hold a user name or password.</source>
        <translation>L’URL de base publique ne peut contenir ni nom d’utilisateur ni mot de passe.</translation>
    </message>
    <message>
        <source>The public base URL cannot have a query (?…): the endpoint adds its own.</source>
        <translation>L’URL de base publique ne peut pas contenir de chaîne de requête (?…)&#xa0;: le point de terminaison ajoute la sienne.</translation>
    </message>
    <message>
        <source>The public base URL cannot have a fragment (#…).</source>
        <translation>L’URL de base publique ne peut pas contenir de fragment (#…).</translation>
    </message>
    <message>
        <source>Line %1, &apos;%2&apos;: %3.</source>
        <translation>Ligne %1, «&#xa0;%2&#xa0;»&#xa0;: %3.</translation>
    </message>
    <message>
        <source>Receiver</source>
        <translation>Récepteur</translation>
    </message>
    <message>
        <source>Receiver state</source>
        <translation>État du récepteur</translation>
    </message>
    <message>
        <source>Why the receiver is not receiving</source>
        <translation>Raison pour laquelle le récepteur ne reçoit rien</translation>
    </message>
    <message>
        <source>Listen address</source>
        <translation>Adresse d’écoute</translation>
    </message>
    <message>
        <source>127.0.0.1 accepts requests from this computer only; 0.0.0.0 (IPv4) or :: (IPv6) from every network interface.</source>
        <translation>127.0.0.1 n’accepte que les requêtes de cet ordinateur&#xa0;; 0.0.0.0 (IPv4) ou :: (IPv6) celles de toutes les interfaces réseau.</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>0 (any free port)</source>
        <translation>0 (n’importe quel port libre)</translation>
    </message>
    <message>
        <source>The TCP port senders connect to. 0 lets the system pick a free port; the status bar then shows which.</source>
        <translation>Le port TCP auquel les expéditeurs se connectent. Avec 0, le système choisit un port libre&#xa0;; la barre d’état indique alors lequel.</translation>
    </message>
    <message>
        <source>0 means any free port. The receiver restarts when you apply a new address, port, limit or proxy list.</source>
        <translation>0 signifie n’importe quel port libre. Le récepteur redémarre lorsque vous appliquez une nouvelle adresse, un nouveau port, une nouvelle limite ou une nouvelle liste de proxys.</translation>
    </message>
    <message>
        <source>Public base URL</source>
        <translation>URL de base publique</translation>
    </message>
    <message>
        <source>Set this when senders reach the receiver through a reverse proxy or tunnel: every copied endpoint starts with it.</source>
        <translation>À renseigner lorsque les expéditeurs atteignent le récepteur via un proxy inverse ou un tunnel&#xa0;: chaque point de terminaison copié commence par cette URL.</translation>
    </message>
    <message>
        <source>http(s)://host[:port][/path], without a query. Empty: the listen address and port.</source>
        <translation>http(s)://hôte[:port][/chemin], sans chaîne de requête. Vide&#xa0;: l’adresse et le port d’écoute.</translation>
    </message>
    <message>
        <source>Body size limit in MiB</source>
        <translation>Taille maximale du corps en Mio</translation>
    </message>
    <message>
        <source> MiB</source>
        <translation> Mio</translation>
    </message>
    <message>
        <source>Larger bodies are refused with 413 payload_too_large as soon as the limit is passed.</source>
        <translation>Les corps plus volumineux sont refusés avec 413 payload_too_large dès que la limite est dépassée.</translation>
    </message>
    <message>
        <source>Idle timeout in seconds</source>
        <translation>Délai d’inactivité en secondes</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>A kept-alive connection with nothing to do is closed after this long.</source>
        <translation>Une connexion maintenue ouverte (keep-alive) et inactive est fermée au bout de ce délai.</translation>
    </message>
    <message>
        <source>Trusted proxies</source>
        <translation>Proxys de confiance</translation>
    </message>
    <message>
        <source>e.g. 10.0.0.0/8</source>
        <translation>p. ex. 10.0.0.0/8</translation>
    </message>
    <message>
        <source>The client address of a request from one of these is taken from its X-Forwarded-For header.</source>
        <translation>Pour une requête provenant de l’un d’eux, l’adresse du client est lue dans son en-tête X-Forwarded-For.</translation>
    </message>
    <message>
        <source>One address or CIDR range per line. Empty: X-Forwarded-For is never used.</source>
        <translation>Une adresse ou une plage CIDR par ligne. Vide&#xa0;: X-Forwarded-For n’est jamais utilisé.</translation>
    </message>
    <message>
        <source>State:</source>
        <translation>État&#xa0;:</translation>
    </message>
    <message>
        <source>Listen &amp;address:</source>
        <translation>&amp;Adresse d’écoute&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation>&amp;Port&#xa0;:</translation>
    </message>
    <message>
        <source>Public &amp;base URL:</source>
        <translation>URL de &amp;base publique&#xa0;:</translation>
    </message>
    <message>
        <source>B&amp;ody size limit:</source>
        <translation>Taille maximale du &amp;corps&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Idle timeout:</source>
        <translation>Délai d’&amp;inactivité&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Trusted proxies:</source>
        <translation>Pro&amp;xys de confiance&#xa0;:</translation>
    </message>
    <message>
        <source>Retention</source>
        <translation>Conservation</translation>
    </message>
    <message>
        <source>Keep requests for this many days</source>
        <translation>Conserver les requêtes pendant ce nombre de jours</translation>
    </message>
    <message>
        <source>Forever</source>
        <translation>Indéfiniment</translation>
    </message>
    <message>
        <source>Keep at most this many requests</source>
        <translation>Conserver au maximum ce nombre de requêtes</translation>
    </message>
    <message>
        <source>No limit</source>
        <translation>Aucune limite</translation>
    </message>
    <message>
        <source>Keep requests &amp;for:</source>
        <translation>Con&amp;server les requêtes pendant&#xa0;:</translation>
    </message>
    <message>
        <source>Keep at &amp;most:</source>
        <translation>Conserver au &amp;maximum&#xa0;:</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <source>The language of the console; the system&apos;s unless chosen here.</source>
        <translation>La langue de la console&#xa0;; celle du système, sauf si vous en choisissez une ici.</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Langue du système</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Langue&#xa0;:</translation>
    </message>
    <message>
        <source>Takes effect when Hooktrail restarts.</source>
        <translation>Prend effet au redémarrage de Hooktrail.</translation>
    </message>
    <message>
        <source>API keys</source>
        <translation>Clés API</translation>
    </message>
    <message>
        <source>Re&amp;vert</source>
        <translation>Ré&amp;tablir</translation>
    </message>
    <message>
        <source>Revert settings</source>
        <translation>Rétablir les paramètres</translation>
    </message>
    <message>
        <source>Puts the stored settings back into the fields</source>
        <translation>Remet les paramètres enregistrés dans les champs</translation>
    </message>
    <message>
        <source>A&amp;pply</source>
        <translation>Appli&amp;quer</translation>
    </message>
    <message>
        <source>Apply settings</source>
        <translation>Appliquer les paramètres</translation>
    </message>
    <message>
        <source>Stores the changes (Ctrl+S); the receiver restarts if its settings changed</source>
        <translation>Enregistre les modifications (Ctrl+S)&#xa0;; le récepteur redémarre si ses paramètres ont changé</translation>
    </message>
    <message>
        <source>Fix the problems named above to apply.</source>
        <translation>Corrigez les problèmes indiqués ci-dessus pour appliquer les paramètres.</translation>
    </message>
    <message>
        <source>Changes not applied yet.</source>
        <translation>Modifications pas encore appliquées.</translation>
    </message>
    <message>
        <source>Saved. The new language is used when Hooktrail restarts.</source>
        <translation>Enregistré. La nouvelle langue sera utilisée au redémarrage de Hooktrail.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Enregistré.</translation>
    </message>
    <message>
        <source>Restarting the receiver…</source>
        <translation>Redémarrage du récepteur…</translation>
    </message>
    <message>
        <source>Not receiving.</source>
        <translation>Réception inactive.</translation>
    </message>
    <message>
        <source>%1
Choose another address or port (0: any free port) and apply again; the history stays readable meanwhile.</source>
        <translation>%1
Choisissez une autre adresse ou un autre port (0&#xa0;: n’importe quel port libre) et appliquez de nouveau&#xa0;; l’historique reste consultable en attendant.</translation>
    </message>
    <message>
        <source>Default: %1</source>
        <translation>Par défaut&#xa0;: %1</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Base de données</translation>
    </message>
    <message>
        <source>Shared database URL</source>
        <translation>URL de la base de données partagée</translation>
    </message>
    <message>
        <source>postgresql://user@host:5432/hooktrail</source>
        <translation>postgresql://utilisateur@hôte:5432/hooktrail</translation>
    </message>
    <message>
        <source>A PostgreSQL database shared by several receivers and consoles. Empty: the SQLite file in this computer&apos;s data folder.</source>
        <translation>Une base PostgreSQL partagée par plusieurs récepteurs et consoles. Vide : le fichier SQLite du dossier de données de cet ordinateur.</translation>
    </message>
    <message>
        <source>S&amp;hared database:</source>
        <translation>Base &amp;partagée :</translation>
    </message>
    <message>
        <source>Takes effect when Hooktrail restarts. The password comes from PGPASSWORD or ~/.pgpass, never from this file. Now in use: %1</source>
        <translation>Prend effet au redémarrage de Hooktrail. Le mot de passe vient de PGPASSWORD ou de ~/.pgpass, jamais de ce fichier. Utilisée maintenant : %1</translation>
    </message>
    <message>
        <source>Saved. The new database is used when Hooktrail restarts.</source>
        <translation>Enregistré. La nouvelle base de données sera utilisée au redémarrage de Hooktrail.</translation>
    </message>
    <message>
        <source>Keep free on disk, in MiB</source>
        <translation>Espace à garder libre sur le disque, en Mio</translation>
    </message>
    <message>
        <source>No floor</source>
        <translation>Aucun seuil</translation>
    </message>
    <message>
        <source>With less free space than this on the disk of the database file, requests are refused with 503 storage_unavailable (senders retry later) instead of filling the disk. 0: no floor.</source>
        <translation>Avec moins d’espace libre que cela sur le disque du fichier de la base, les requêtes sont refusées avec 503 storage_unavailable (les émetteurs réessaient plus tard) au lieu de remplir le disque. 0&#xa0;: aucun seuil.</translation>
    </message>
    <message>
        <source>Keep free on &amp;disk:</source>
        <translation>Garder libre sur le &amp;disque&#xa0;:</translation>
    </message>
    <message>
        <source>Requests are taken again by themselves once there is room. Applies to the SQLite file; a PostgreSQL server watches its own disk.</source>
        <translation>Les requêtes sont de nouveau acceptées d’elles-mêmes dès qu’il y a de la place. S’applique au fichier SQLite&#xa0;; un serveur PostgreSQL surveille son propre disque.</translation>
    </message>
    <message>
        <source>Custom…</source>
        <translation>Personnalisé…</translation>
    </message>
    <message>
        <source>Enter a whole number of days from 1 to %L1.</source>
        <translation>Saisissez un nombre entier de jours de 1 à %L1.</translation>
    </message>
    <message>
        <source>Enter a whole number of requests from 1 to %L1.</source>
        <translation>Saisissez un nombre entier de requêtes de 1 à %L1.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln day(s)</source>
        <translation>
            <numerusform>%Ln jour</numerusform>
            <numerusform>%Ln jours</numerusform>
        </translation>
    </message>
    <message>
        <source>Keep requests for</source>
        <translation>Conserver les requêtes pendant</translation>
    </message>
    <message>
        <source>Older requests are deleted from the history.</source>
        <translation>Les requêtes plus anciennes sont supprimées de l’historique.</translation>
    </message>
    <message>
        <source>Number of days, e.g. 14</source>
        <translation>Nombre de jours, par ex. 14</translation>
    </message>
    <message numerus="yes">
        <source>%Ln request(s)</source>
        <translation>
            <numerusform>%Ln requête</numerusform>
            <numerusform>%Ln requêtes</numerusform>
        </translation>
    </message>
    <message>
        <source>Keep at most</source>
        <translation>En conserver au plus</translation>
    </message>
    <message>
        <source>Beyond this many, the oldest requests are deleted from the history.</source>
        <translation>Au-delà de ce nombre, les requêtes les plus anciennes sont supprimées de l’historique.</translation>
    </message>
    <message>
        <source>Number of requests, e.g. 5,000</source>
        <translation>Nombre de requêtes, par ex. 5 000</translation>
    </message>
    <message>
        <source>Applying a retention that deletes requests asks first. Nothing else is ever deleted from the history.</source>
        <translation>Une conservation qui supprime des requêtes demande confirmation avant d’être appliquée. Rien d’autre n’est jamais supprimé de l’historique.</translation>
    </message>
    <message>
        <source>Counting the requests the new retention deletes…</source>
        <translation>Décompte des requêtes que la nouvelle conservation supprime…</translation>
    </message>
    <message>
        <source>Not applied: cannot count the requests the new retention deletes. %1</source>
        <translation>Non appliqué : impossible de compter les requêtes que la nouvelle conservation supprime. %1</translation>
    </message>
    <message>
        <source>Apply retention</source>
        <translation>Appliquer la conservation</translation>
    </message>
    <message numerus="yes">
        <source>Apply and delete %Ln request(s) now?</source>
        <translation>
            <numerusform>Appliquer et supprimer %Ln requête maintenant ?</numerusform>
            <numerusform>Appliquer et supprimer %Ln requêtes maintenant ?</numerusform>
        </translation>
    </message>
    <message>
        <source>The new retention deletes them from the history at once; this cannot be undone. Cancel keeps every request and the current retention.</source>
        <translation>La nouvelle conservation les supprime aussitôt de l’historique, sans retour possible. Annuler garde toutes les requêtes et la conservation actuelle.</translation>
    </message>
    <message numerus="yes">
        <source>Delete %Ln request(s)</source>
        <translation>
            <numerusform>Supprimer %Ln requête</numerusform>
            <numerusform>Supprimer %Ln requêtes</numerusform>
        </translation>
    </message>
    <message>
        <source>Not applied: no request was deleted.</source>
        <translation>Non appliqué : aucune requête n’a été supprimée.</translation>
    </message>
    <message>
        <source>Local API</source>
        <translation>API locale</translation>
    </message>
    <message>
        <source>Serve the local &amp;API</source>
        <translation>Activer l’&amp;API locale</translation>
    </message>
    <message>
        <source>An HTTP API over the history for test suites and scripts: list, wait for and stream requests, replay them, and metrics for Prometheus.</source>
        <translation>Une API HTTP sur l’historique, pour les suites de tests et les scripts&#xa0;: lister les requêtes, les attendre, les suivre en flux, les rejouer, et des métriques pour Prometheus.</translation>
    </message>
    <message>
        <source>API listen address and port</source>
        <translation>Adresse et port d’écoute de l’API</translation>
    </message>
    <message>
        <source>ADDR:PORT, e.g. 127.0.0.1:8485 (this computer only) or [::1]:8485. Every call needs a token: hooktrail token add --name NAME [--read-only].</source>
        <translation>ADRESSE:PORT, p. ex. 127.0.0.1:8485 (cet ordinateur uniquement) ou [::1]:8485. Chaque appel exige un jeton&#xa0;: hooktrail token add --name NOM [--read-only].</translation>
    </message>
    <message>
        <source>/metrics needs a &amp;token too</source>
        <translation>/metrics exige aussi un &amp;jeton</translation>
    </message>
    <message>
        <source>Off: a Prometheus server may scrape the metrics without a token.</source>
        <translation>Désactivé&#xa0;: un serveur Prometheus peut collecter les métriques sans jeton.</translation>
    </message>
    <message>
        <source>API &amp;listens on:</source>
        <translation>Adresse d’éco&amp;ute de l’API&#xa0;:</translation>
    </message>
    <message>
        <source>Write the address and port as ADDR:PORT, e.g. 127.0.0.1:8485.</source>
        <translation>Écrivez l’adresse et le port sous la forme ADRESSE:PORT, p. ex. 127.0.0.1:8485.</translation>
    </message>
    <message>
        <source>Not serving.</source>
        <translation>Hors service.</translation>
    </message>
    <message>
        <source>Choose both the certificate and its key, or neither for plain HTTP.</source>
        <translation>Choisissez le certificat et sa clé, ou aucun des deux pour du HTTP simple.</translation>
    </message>
    <message>
        <source>None: plain HTTP</source>
        <translation>Aucun : HTTP simple</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <source>Browse for %1</source>
        <translation>Parcourir (%1)</translation>
    </message>
    <message>
        <source>TLS certificate file</source>
        <translation>Fichier du certificat TLS</translation>
    </message>
    <message>
        <source>The receiver&apos;s certificate (PEM)</source>
        <translation>Le certificat du récepteur (PEM)</translation>
    </message>
    <message>
        <source>TLS private key file</source>
        <translation>Fichier de la clé privée TLS</translation>
    </message>
    <message>
        <source>The certificate&apos;s private key (PEM)</source>
        <translation>La clé privée du certificat (PEM)</translation>
    </message>
    <message>
        <source>Create a &amp;self-signed certificate…</source>
        <translation>Créer un certificat auto-si&amp;gné…</translation>
    </message>
    <message>
        <source>For testing: a certificate its own authority, in the data folder. Senders must be told to trust it (curl --cacert).</source>
        <translation>Pour les essais : un certificat qui est sa propre autorité, dans le dossier de données. Les expéditeurs doivent être configurés pour lui faire confiance (curl --cacert).</translation>
    </message>
    <message>
        <source>PEM files. With both, the port speaks HTTPS (TLS 1.2 or later) and endpoints start with https://. A renewed certificate is used without a restart.</source>
        <translation>Fichiers PEM. Avec les deux, le port parle HTTPS (TLS 1.2 ou ultérieur) et les points de terminaison commencent par https://. Un certificat renouvelé est pris en compte sans redémarrage.</translation>
    </message>
    <message>
        <source>TLS c&amp;ertificate:</source>
        <translation>C&amp;ertificat TLS :</translation>
    </message>
    <message>
        <source>TLS private &amp;key:</source>
        <translation>Clé p&amp;rivée TLS :</translation>
    </message>
    <message>
        <source>PEM files (*.pem *.crt *.key);;All files (*)</source>
        <translation>Fichiers PEM (*.pem *.crt *.key);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Self-signed certificate</source>
        <translation>Certificat auto-signé</translation>
    </message>
    <message>
        <source>Host name or IP address senders use to reach this receiver:</source>
        <translation>Nom d’hôte ou adresse IP par lesquels les expéditeurs joignent ce récepteur :</translation>
    </message>
    <message>
        <source>Replace the certificate?</source>
        <translation>Remplacer le certificat ?</translation>
    </message>
    <message>
        <source>The data folder already holds a self-signed certificate.</source>
        <translation>Le dossier de données contient déjà un certificat auto-signé.</translation>
    </message>
    <message>
        <source>Senders that trust it will have to trust the new one.</source>
        <translation>Les expéditeurs qui lui font confiance devront faire confiance au nouveau.</translation>
    </message>
    <message>
        <source>&amp;Replace</source>
        <translation>&amp;Remplacer</translation>
    </message>
    <message>
        <source>Certificate for %1 created, valid 365 days. Apply to use it.</source>
        <translation>Certificat pour %1 créé, valable 365 jours. Appliquez pour l’utiliser.</translation>
    </message>
</context>
<context>
    <name>Hooktrail::Store</name>
    <message>
        <source>cannot create the data folder %1</source>
        <translation>impossible de créer le dossier de données %1</translation>
    </message>
    <message>
        <source>%1 is not a PostgreSQL URL: expected postgresql://user[:password]@host[:port]/database</source>
        <translation>%1 n’est pas une URL PostgreSQL&#xa0;: forme attendue postgresql://utilisateur[:mot_de_passe]@hôte[:port]/base</translation>
    </message>
    <message>
        <source>the Qt SQL driver %1 is not installed</source>
        <translation>le pilote Qt SQL %1 n’est pas installé</translation>
    </message>
    <message>
        <source>cannot open the database %1: %2</source>
        <translation>impossible d’ouvrir la base de données %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>database error: %1 (in: %2)</source>
        <translation>erreur de base de données&#xa0;: %1 (dans&#xa0;: %2)</translation>
    </message>
    <message>
        <source>database error: cannot start a transaction: %1</source>
        <translation>erreur de base de données&#xa0;: impossible de commencer une transaction&#xa0;: %1</translation>
    </message>
    <message>
        <source>database error: commit failed: %1</source>
        <translation>erreur de base de données&#xa0;: échec de la validation&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>Hooktrail::StoreExecutor</name>
    <message>
        <source>The database cannot be opened: %1</source>
        <translation>Impossible d’ouvrir la base de données&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>Hooktrail::TestRequestDialog</name>
    <message>
        <source>Send test request to %1</source>
        <translation>Envoyer une requête de test à %1</translation>
    </message>
    <message>
        <source>Sends a request to %1 through the running receiver. It is checked like any other and appears in the History.</source>
        <translation>Envoie une requête à %1 via le récepteur en cours d’exécution. Elle est vérifiée comme toute autre et apparaît dans l’historique.</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Méthode</translation>
    </message>
    <message>
        <source>Filled from the webhook&apos;s header rules; change them to see a rejection.</source>
        <translation>Préremplis d’après les règles d’en-têtes du webhook&#xa0;; modifiez-les pour observer un refus.</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>Clé API</translation>
    </message>
    <message>
        <source>Sent as the api-key query parameter; leave empty to see the request refused.</source>
        <translation>Envoyée dans le paramètre d’URL api-key&#xa0;; laissez ce champ vide pour voir la requête refusée.</translation>
    </message>
    <message>
        <source>Sho&amp;w</source>
        <translation>A&amp;fficher</translation>
    </message>
    <message>
        <source>Show the key</source>
        <translation>Afficher la clé</translation>
    </message>
    <message>
        <source>Body</source>
        <translation>Corps</translation>
    </message>
    <message>
        <source>The request body, sent as typed.</source>
        <translation>Le corps de la requête, envoyé tel que saisi.</translation>
    </message>
    <message>
        <source>&amp;Method:</source>
        <translation>&amp;Méthode&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Headers:</source>
        <translation>En-&amp;têtes&#xa0;:</translation>
    </message>
    <message>
        <source>API &amp;key:</source>
        <translation>&amp;Clé API&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Body:</source>
        <translation>C&amp;orps&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation>&amp;Envoyer</translation>
    </message>
    <message>
        <source>Send the test request</source>
        <translation>Envoyer la requête de test</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Filled with the key the receiver accepted earlier in this run.</source>
        <translation>Préremplie avec la clé que le récepteur a acceptée plus tôt dans cette session.</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <source>Not sent: %1</source>
        <translation>Non envoyée&#xa0;: %1</translation>
    </message>
    <message>
        <source>No response from %1: %2.</source>
        <translation>Aucune réponse de %1&#xa0;: %2.</translation>
    </message>
    <message>
        <source>No response from %1: %2. The receiver is not running; check the port in Settings.</source>
        <translation>Aucune réponse de %1&#xa0;: %2. Le récepteur n’est pas lancé&#xa0;; vérifiez le port dans les Paramètres.</translation>
    </message>
    <message>
        <source>HTTP %1 %2 (not a response from Hooktrail&apos;s receiver)</source>
        <translation>HTTP %1 %2 (ce n’est pas une réponse du récepteur de Hooktrail)</translation>
    </message>
</context>
<context>
    <name>Hooktrail::TlsContext</name>
    <message>
        <source>cannot read %1: %2</source>
        <translation>impossible de lire %1 : %2</translation>
    </message>
    <message>
        <source>%1 is larger than 1 MiB; it is not a PEM file</source>
        <translation>%1 dépasse 1 Mio : ce n’est pas un fichier PEM</translation>
    </message>
    <message>
        <source>this system&apos;s Qt has no TLS backend (OpenSSL 3 is needed)</source>
        <translation>le Qt de ce système n’a pas de moteur TLS (OpenSSL 3 est nécessaire)</translation>
    </message>
    <message>
        <source>%1 holds no PEM certificate (-----BEGIN CERTIFICATE-----)</source>
        <translation>%1 ne contient aucun certificat PEM (-----BEGIN CERTIFICATE-----)</translation>
    </message>
    <message>
        <source>%1 holds no unencrypted PEM private key (EC or RSA)</source>
        <translation>%1 ne contient aucune clé privée PEM non chiffrée (EC ou RSA)</translation>
    </message>
    <message>
        <source>the key in %1 is not the key of the certificate in %2</source>
        <translation>la clé de %1 n’est pas celle du certificat de %2</translation>
    </message>
</context>
<context>
    <name>Hooktrail::TokenTables</name>
    <message>
        <source>a token needs a name of 1 to 100 characters</source>
        <translation>un jeton doit avoir un nom de 1 à 100&#xa0;caractères</translation>
    </message>
    <message>
        <source>no token with prefix %1</source>
        <translation>aucun jeton n’a le préfixe %1</translation>
    </message>
    <message>
        <source>%1 tokens have prefix %2</source>
        <translation>%1&#xa0;jetons ont le préfixe %2</translation>
    </message>
</context>
<context>
    <name>Hooktrail::Webhook</name>
    <message>
        <source>Name is required.</source>
        <translation>Le nom est obligatoire.</translation>
    </message>
    <message>
        <source>Name must be at most 100 characters (it has %1).</source>
        <translation>Le nom ne doit pas dépasser 100 caractères (il en compte %1).</translation>
    </message>
    <message>
        <source>Description must be at most 2,000 characters (it has %1).</source>
        <translation>La description ne doit pas dépasser 2&#xa0;000 caractères (elle en compte %1).</translation>
    </message>
    <message>
        <source>Choose at least one allowed method.</source>
        <translation>Choisissez au moins une méthode autorisée.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not an allowed method (POST, PUT, PATCH, GET, DELETE).</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas une méthode autorisée (POST, PUT, PATCH, GET, DELETE).</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is listed twice.</source>
        <translation>«&#xa0;%1&#xa0;» figure deux fois.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a valid header name (letters, digits and !#$%&amp;&apos;*+-.^_`|~ only).</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas un nom d’en-tête valide (lettres, chiffres et !#$%&amp;&apos;*+-.^_`|~ uniquement).</translation>
    </message>
    <message>
        <source>Header &apos;%1&apos; is listed twice.</source>
        <translation>L’en-tête «&#xa0;%1&#xa0;» figure deux fois.</translation>
    </message>
    <message>
        <source>Header &apos;%1&apos; needs a value (use * for any value).</source>
        <translation>L’en-tête «&#xa0;%1&#xa0;» doit avoir une valeur (utilisez * pour accepter n’importe quelle valeur).</translation>
    </message>
    <message>
        <source>The value for header &apos;%1&apos; has control characters or surrounding spaces.</source>
        <translation>La valeur de l’en-tête «&#xa0;%1&#xa0;» contient des caractères de contrôle ou des espaces en début ou en fin.</translation>
    </message>
    <message>
        <source>&apos;%1&apos;: %2.</source>
        <translation>«&#xa0;%1&#xa0;»&#xa0;: %2.</translation>
    </message>
    <message>
        <source>Unknown key &apos;%1&apos;.</source>
        <translation>Champ «&#xa0;%1&#xa0;» inconnu.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; must be a list of strings.</source>
        <translation>«&#xa0;%1&#xa0;» doit être une liste de chaînes.</translation>
    </message>
    <message>
        <source>&apos;name&apos; must be a string.</source>
        <translation>«&#xa0;name&#xa0;» doit être une chaîne.</translation>
    </message>
    <message>
        <source>&apos;description&apos; must be a string.</source>
        <translation>«&#xa0;description&#xa0;» doit être une chaîne.</translation>
    </message>
    <message>
        <source>The value for header &apos;%1&apos; must be a string.</source>
        <translation>La valeur de l’en-tête «&#xa0;%1&#xa0;» doit être une chaîne.</translation>
    </message>
    <message>
        <source>&apos;headersWhitelist&apos; must be an object of header names to values.</source>
        <translation>«&#xa0;headersWhitelist&#xa0;» doit être un objet associant des noms d’en-têtes à des valeurs.</translation>
    </message>
    <message>
        <source>&apos;enabled&apos; must be true or false.</source>
        <translation>«&#xa0;enabled&#xa0;» doit valoir true ou false.</translation>
    </message>
    <message>
        <source>&apos;acceptAnyContentType&apos; must be true or false.</source>
        <translation>«&#xa0;acceptAnyContentType&#xa0;» doit valoir true ou false.</translation>
    </message>
    <message>
        <source>&apos;authentication&apos; must be key, signature or key+signature.</source>
        <translation>«&#xa0;authentication&#xa0;» doit valoir key, signature ou key+signature.</translation>
    </message>
</context>
<context>
    <name>Hooktrail::WebhookDetailPanel</name>
    <message>
        <source>Selected webhook</source>
        <translation>Webhook sélectionné</translation>
    </message>
    <message>
        <source>Select a webhook to see its endpoint and the rules its requests must meet.</source>
        <translation>Sélectionnez un webhook pour voir son point de terminaison et les règles que ses requêtes doivent respecter.</translation>
    </message>
    <message>
        <source>Endpoint URL without key</source>
        <translation>URL du point de terminaison sans clé</translation>
    </message>
    <message>
        <source>Co&amp;py</source>
        <translation>Co&amp;pier</translation>
    </message>
    <message>
        <source>Copy the endpoint without key</source>
        <translation>Copier le point de terminaison sans clé</translation>
    </message>
    <message>
        <source>Copy endpoint without key</source>
        <translation>Copier le point de terminaison sans clé</translation>
    </message>
    <message>
        <source>Copy the endpoint URL, without key, to the clipboard (%1); senders then give the key in an X-Api-Key header</source>
        <translation>Copier l’URL du point de terminaison, sans clé, dans le presse-papiers (%1)&#xa0;; les expéditeurs donnent alors la clé dans un en-tête X-Api-Key</translation>
    </message>
    <message>
        <source>Copy with &amp;key…</source>
        <translation>Copier avec une c&amp;lé…</translation>
    </message>
    <message>
        <source>Copy the endpoint with a key</source>
        <translation>Copier le point de terminaison avec une clé</translation>
    </message>
    <message>
        <source>Asks for an API key, or creates one, and shows the endpoint with it, ready to copy</source>
        <translation>Demande une clé API, ou en crée une, et affiche le point de terminaison qui la contient, prêt à copier</translation>
    </message>
    <message>
        <source>E&amp;ndpoint (without key):</source>
        <translation>Poi&amp;nt de terminaison (sans clé)&#xa0;:</translation>
    </message>
    <message>
        <source>Id:</source>
        <translation>Identifiant&#xa0;:</translation>
    </message>
    <message>
        <source>Description:</source>
        <translation>Description&#xa0;:</translation>
    </message>
    <message>
        <source>Methods:</source>
        <translation>Méthodes&#xa0;:</translation>
    </message>
    <message>
        <source>Content type:</source>
        <translation>Type de contenu&#xa0;:</translation>
    </message>
    <message>
        <source>Required headers:</source>
        <translation>En-têtes requis&#xa0;:</translation>
    </message>
    <message>
        <source>Allowed IP addresses:</source>
        <translation>Adresses IP autorisées&#xa0;:</translation>
    </message>
    <message>
        <source>API key:</source>
        <translation>Clé API&#xa0;:</translation>
    </message>
    <message>
        <source>Required: any key not revoked, in the api-key query parameter or the X-Api-Key header</source>
        <translation>Requise&#xa0;: toute clé non révoquée, dans le paramètre de requête api-key ou l’en-tête X-Api-Key</translation>
    </message>
    <message>
        <source>Enabled: requests that meet its rules are accepted</source>
        <translation>Activé&#xa0;: les requêtes qui respectent ses règles sont acceptées</translation>
    </message>
    <message>
        <source>Disabled: every request is answered 503 until it is enabled</source>
        <translation>Désactivé&#xa0;: chaque requête reçoit la réponse 503 jusqu’à ce qu’il soit activé</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Aucun</translation>
    </message>
    <message>
        <source>Accepts any content type, or none, kept as sent without checks</source>
        <translation>Accepte tout type de contenu, ou aucun, conservé tel qu’envoyé, sans vérification</translation>
    </message>
    <message>
        <source>JSON, XML or form bodies (or none); JSON and XML must be well-formed</source>
        <translation>Corps JSON, XML ou formulaire (ou aucun)&#xa0;; JSON et XML doivent être bien formés</translation>
    </message>
    <message>
        <source>%1: any value</source>
        <translation>%1&#xa0;: toute valeur</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1&#xa0;: %2</translation>
    </message>
    <message>
        <source>Any address</source>
        <translation>Toute adresse</translation>
    </message>
    <message>
        <source>There is no usable key yet: Copy with key… creates one.</source>
        <translation>Aucune clé utilisable pour l’instant&#xa0;: Copier avec une clé… en crée une.</translation>
    </message>
    <message>
        <source>Usable keys: %1</source>
        <translation>Clés utilisables&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>Hooktrail::WebhookFormDialog</name>
    <message>
        <source>Edit webhook</source>
        <translation>Modifier le webhook</translation>
    </message>
    <message>
        <source>Add webhook</source>
        <translation>Ajouter un webhook</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>A name you will recognise the webhook by; unique, up to 100 characters.</source>
        <translation>Un nom qui vous permettra de reconnaître le webhook&#xa0;; unique, 100 caractères au maximum.</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nom&#xa0;:</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>Optional notes: who sends to this webhook and why (up to 2,000 characters).</source>
        <translation>Notes facultatives&#xa0;: qui envoie des données à ce webhook et pourquoi (2&#xa0;000 caractères au maximum).</translation>
    </message>
    <message>
        <source>&amp;Description:</source>
        <translation>&amp;Description&#xa0;:</translation>
    </message>
    <message>
        <source>Allow %1</source>
        <translation>Autoriser %1</translation>
    </message>
    <message>
        <source>Accept %1 requests; other methods are answered 405.</source>
        <translation>Accepter les requêtes %1&#xa0;; les autres méthodes reçoivent la réponse 405.</translation>
    </message>
    <message>
        <source>Allowed &amp;methods:</source>
        <translation>&amp;Méthodes autorisées&#xa0;:</translation>
    </message>
    <message>
        <source>Add header rule</source>
        <translation>Ajouter une règle d’en-tête</translation>
    </message>
    <message>
        <source>Remove selected header rules</source>
        <translation>Supprimer les règles d’en-tête sélectionnées</translation>
    </message>
    <message>
        <source>A value of * accepts any value, as long as the header is present. Every rule must hold.</source>
        <translation>La valeur * accepte n’importe quelle valeur, pourvu que l’en-tête soit présent. Toutes les règles doivent être respectées.</translation>
    </message>
    <message>
        <source>&amp;Save Webhook</source>
        <translation>&amp;Enregistrer le webhook</translation>
    </message>
    <message>
        <source>Save webhook</source>
        <translation>Enregistrer le webhook</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Row %1 has a value but no header name.</source>
        <translation>La ligne %1 a une valeur mais pas de nom d’en-tête.</translation>
    </message>
    <message>
        <source>No database is available.</source>
        <translation>Aucune base de données n’est disponible.</translation>
    </message>
    <message>
        <source>A webhook named &apos;%1&apos; already exists.</source>
        <translation>Un webhook nommé «&#xa0;%1&#xa0;» existe déjà.</translation>
    </message>
    <message>
        <source>Checking that the name is free…</source>
        <translation>Vérification de la disponibilité du nom…</translation>
    </message>
    <message>
        <source>Fix the problems shown above to save.</source>
        <translation>Corrigez les problèmes indiqués ci-dessus pour enregistrer.</translation>
    </message>
    <message>
        <source>The webhook was deleted meanwhile.</source>
        <translation>Le webhook a été supprimé entre-temps.</translation>
    </message>
    <message>
        <source>Could not save the webhook: %1</source>
        <translation>Impossible d’enregistrer le webhook&#xa0;: %1</translation>
    </message>
    <message>
        <source>Required &amp;headers:</source>
        <translation>En-têtes &amp;requis&#xa0;:</translation>
    </message>
    <message>
        <source>Allowed IP addresses</source>
        <translation>Adresses IP autorisées</translation>
    </message>
    <message>
        <source>Only requests from these addresses are accepted; others are answered 403. One IPv4 or IPv6 address or CIDR range per line, e.g. 203.0.113.7 or 10.0.0.0/8. Empty: any address.</source>
        <translation>Seules les requêtes venant de ces adresses sont acceptées&#xa0;; les autres reçoivent une réponse 403. Une adresse IPv4 ou IPv6 ou une plage CIDR par ligne, par exemple 203.0.113.7 ou 10.0.0.0/8. Vide&#xa0;: toutes les adresses.</translation>
    </message>
    <message>
        <source>e.g. 203.0.113.7 or 10.0.0.0/8, one per line; empty: any address</source>
        <translation>par exemple 203.0.113.7 ou 10.0.0.0/8, une par ligne&#xa0;; vide&#xa0;: toutes les adresses</translation>
    </message>
    <message>
        <source>Allowed &amp;IP addresses:</source>
        <translation>Adresses &amp;IP autorisées&#xa0;:</translation>
    </message>
    <message>
        <source>Required headers</source>
        <translation>En-têtes requis</translation>
    </message>
    <message>
        <source>Headers every request must carry, or it is answered 403. Names match in any case; values match exactly.</source>
        <translation>En-têtes que chaque requête doit contenir, sinon elle reçoit une réponse 403. Les noms sont comparés sans tenir compte de la casse&#xa0;; les valeurs doivent correspondre exactement.</translation>
    </message>
    <message>
        <source>Accept any content &amp;type, without checking the body</source>
        <translation>Accepter tout &amp;type de contenu, sans vérifier le corps</translation>
    </message>
    <message>
        <source>Accept any content type</source>
        <translation>Accepter tout type de contenu</translation>
    </message>
    <message>
        <source>Off (the default): only JSON, XML and form bodies are accepted, and JSON and XML must be well-formed; other bodies are answered 415, malformed ones 400.
On: a body of any content type, or without one, is accepted and logged exactly as sent, with no check of its content; for testing senders of text or binary bodies.</source>
        <translation>Désactivé (par défaut)&#xa0;: seuls les corps JSON, XML et de formulaire sont acceptés, et le JSON comme le XML doivent être bien formés&#xa0;; les autres corps reçoivent une réponse 415, les corps mal formés une réponse 400.
Activé&#xa0;: un corps de n’importe quel type de contenu, ou sans type, est accepté et journalisé exactement tel qu’il a été envoyé, sans aucune vérification de son contenu&#xa0;; pour tester des expéditeurs de corps texte ou binaires.</translation>
    </message>
    <message>
        <source>Id:</source>
        <translation>Identifiant&#xa0;:</translation>
    </message>
    <message>
        <source>Webhook id</source>
        <translation>Identifiant du webhook</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copier</translation>
    </message>
    <message>
        <source>Copy the webhook&apos;s id to the clipboard</source>
        <translation>Copier l’identifiant du webhook dans le presse-papiers</translation>
    </message>
    <message>
        <source>Endpoint:</source>
        <translation>Point de terminaison&#xa0;:</translation>
    </message>
    <message>
        <source>Endpoint URL without key</source>
        <translation>URL du point de terminaison sans clé</translation>
    </message>
    <message>
        <source>Cop&amp;y</source>
        <translation>C&amp;opier</translation>
    </message>
    <message>
        <source>Copy the endpoint URL, without key, to the clipboard</source>
        <translation>Copier l’URL du point de terminaison, sans clé, dans le presse-papiers</translation>
    </message>
    <message>
        <source>Duplicate webhook</source>
        <translation>Dupliquer le webhook</translation>
    </message>
    <message>
        <source>This copy starts disabled, like the webhook it copies: its requests are answered 503 until you enable it in the list.</source>
        <translation>Cette copie est désactivée au départ, comme le webhook qu’elle copie&#xa0;: ses requêtes reçoivent la réponse 503 jusqu’à ce que vous l’activiez dans la liste.</translation>
    </message>
</context>
<context>
    <name>Hooktrail::WebhookListModel</name>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Last request</source>
        <translation>Dernière requête</translation>
    </message>
    <message>
        <source>Last 24 h</source>
        <translation>Dernières 24 h</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>Jamais</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>à l’instant</translation>
    </message>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation>
            <numerusform>il y a %n min</numerusform>
            <numerusform>il y a %n min</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h ago</source>
        <translation>
            <numerusform>il y a %n h</numerusform>
            <numerusform>il y a %n h</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n d ago</source>
        <translation>
            <numerusform>il y a %n jour</numerusform>
            <numerusform>il y a %n jours</numerusform>
        </translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>Activé</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>Désactivé</translation>
    </message>
    <message>
        <source>Requests are checked and answered.</source>
        <translation>Les requêtes sont vérifiées et reçoivent une réponse.</translation>
    </message>
    <message>
        <source>Requests are answered 503 (the sender retries later) and still logged.</source>
        <translation>Les requêtes reçoivent la réponse 503 (l’expéditeur réessaie plus tard) et sont tout de même journalisées.</translation>
    </message>
    <message>
        <source>No request received yet</source>
        <translation>Aucune requête reçue pour l’instant</translation>
    </message>
    <message numerus="yes">
        <source>Requests in the last 24 hours: %n. Each bar is one hour, the latest on the right.</source>
        <translation>
            <numerusform>Requête des dernières 24 heures&#xa0;: %n. Chaque barre représente une heure, la plus récente à droite.</numerusform>
            <numerusform>Requêtes des dernières 24 heures&#xa0;: %n. Chaque barre représente une heure, la plus récente à droite.</numerusform>
        </translation>
    </message>
    <message>
        <source>Last request %1, %2</source>
        <translation>Dernière requête %1, %2</translation>
    </message>
    <message numerus="yes">
        <source>Requests in the last 24 hours: %n</source>
        <translation>
            <numerusform>Requête des dernières 24 heures&#xa0;: %n</numerusform>
            <numerusform>Requêtes des dernières 24 heures&#xa0;: %n</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Hooktrail::WebhookTransfer</name>
    <message>
        <source>The file is not valid JSON: %1 at offset %2.</source>
        <translation>Le fichier n’est pas un JSON valide&#xa0;: %1 à la position %2.</translation>
    </message>
    <message>
        <source>The file must hold a webhook settings object or a list of them.</source>
        <translation>Le fichier doit contenir un objet de paramètres de webhook ou une liste de tels objets.</translation>
    </message>
    <message>
        <source>webhook %1: %2</source>
        <translation>webhook n°&#xa0;%1&#xa0;: %2</translation>
    </message>
    <message>
        <source>must be an object of webhook settings.</source>
        <translation>doit être un objet de paramètres de webhook.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is also the name of webhook %2.</source>
        <translation>«&#xa0;%1&#xa0;» est aussi le nom du webhook n°&#xa0;%2.</translation>
    </message>
    <message>
        <source>&apos;id&apos; must be a webhook id: a UUID v4 in lowercase, as exported.</source>
        <translation>«&#xa0;id&#xa0;» doit être un identifiant de webhook&#xa0;: un UUID v4 en minuscules, tel qu’exporté.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1&#xa0;: %2</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is also the id of webhook %2.</source>
        <translation>«&#xa0;%1&#xa0;» est aussi l’identifiant du webhook n°&#xa0;%2.</translation>
    </message>
    <message>
        <source> (imported)</source>
        <translation> (importé)</translation>
    </message>
    <message>
        <source> (imported %1)</source>
        <translation> (importé %1)</translation>
    </message>
    <message>
        <source>already here</source>
        <translation>déjà ici</translation>
    </message>
    <message>
        <source>already here, as “%1”</source>
        <translation>déjà ici, sous le nom «&#xa0;%1&#xa0;»</translation>
    </message>
    <message>
        <source>“%1”: %2</source>
        <translation>«&#xa0;%1&#xa0;»&#xa0;: %2</translation>
    </message>
    <message>
        <source>“%1” became “%2”</source>
        <translation>«&#xa0;%1&#xa0;» est devenu «&#xa0;%2&#xa0;»</translation>
    </message>
</context>
<context>
    <name>HttpResponseReader</name>
    <message>
        <source>The connection closed before a response came.</source>
        <translation>La connexion s’est fermée avant qu’une réponse arrive.</translation>
    </message>
    <message>
        <source>The connection closed before the response ended.</source>
        <translation>La connexion s’est fermée avant la fin de la réponse.</translation>
    </message>
    <message>
        <source>The response&apos;s headers are larger than 64 KiB.</source>
        <translation>Les en-têtes de la réponse dépassent 64&#xa0;Kio.</translation>
    </message>
    <message>
        <source>The server did not answer in HTTP/1.1.</source>
        <translation>Le serveur n’a pas répondu en HTTP/1.1.</translation>
    </message>
    <message>
        <source>The server&apos;s status line is not valid.</source>
        <translation>La ligne de statut du serveur n’est pas valide.</translation>
    </message>
    <message>
        <source>The response has a header line that is not valid.</source>
        <translation>La réponse contient une ligne d’en-tête non valide.</translation>
    </message>
    <message>
        <source>The response&apos;s Content-Length is not valid.</source>
        <translation>Le Content-Length de la réponse n’est pas valide.</translation>
    </message>
    <message>
        <source>The response&apos;s chunks are not valid.</source>
        <translation>Les segments (chunks) de la réponse ne sont pas valides.</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Hooktrail</source>
        <translation>Hooktrail</translation>
    </message>
    <message>
        <source>The database %1 cannot be used:
%2</source>
        <translation>La base de données %1 est inutilisable :
%2</translation>
    </message>
</context>
<context>
    <name>SaveToFile</name>
    <message>
        <source>%1 cannot be written: %2</source>
        <translation>Impossible d’écrire %1&#xa0;: %2</translation>
    </message>
</context>
</TS>
