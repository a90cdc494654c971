using System.Text;

namespace TeamPlatform.Notifications.Domain;

/// <summary>The names of the message templates (docs/notifications.md#what-it-sends), the same on every channel.</summary>
public static class TemplateNames
{
    public const string Otp = "otp";
    public const string PasswordReset = "password_reset";
    public const string Invitation = "invitation";
    public const string ApprovalRequest = "approval_request";
    public const string Approved = "approved";
    public const string AccessExpired = "access_expired";
    public const string WebhookDisabled = "webhook_disabled";

    public static readonly IReadOnlyList<string> All = [Otp, PasswordReset, Invitation, ApprovalRequest, Approved, AccessExpired, WebhookDisabled];
}

/// <summary>A template rendered for one recipient: the full text to send, and what the log may keep.</summary>
public sealed record RenderedMessage(
    string Template,
    string Language,
    string Subject,
    string Body,
    string RedactedBody,
    IReadOnlyDictionary<string, string> Variables,
    IReadOnlyDictionary<string, string> PublicVariables);

/// <summary>
/// The text of every template in every language TeamPlatform speaks. Variables are named
/// (<c>{code}</c>, <c>{link}</c>…); <c>code</c> and <c>link</c> are secrets: they reach the recipient
/// and the development channel, never the delivery log.
/// </summary>
public static class MessageTemplates
{
    public const string DefaultLanguage = "en";
    public const string Hidden = "[hidden]";

    public static readonly IReadOnlySet<string> SecretVariables = new HashSet<string>(StringComparer.Ordinal) { "code", "link" };

    private static readonly Dictionary<string, Dictionary<string, (string Subject, string Body)>> Texts = new()
    {
        [TemplateNames.Otp] = new()
        {
            ["en"] = ("Your {organisation} verification code", "{code} is your {organisation} verification code. It expires in {minutes} minutes. Never share it with anyone."),
            ["fr"] = ("Votre code de vérification {organisation}", "{code} est votre code de vérification {organisation}. Il expire dans {minutes} minutes. Ne le partagez avec personne."),
            ["es"] = ("Tu código de verificación de {organisation}", "{code} es tu código de verificación de {organisation}. Caduca en {minutes} minutos. No lo compartas con nadie."),
            ["pt"] = ("Seu código de verificação de {organisation}", "{code} é o seu código de verificação de {organisation}. Ele expira em {minutes} minutos. Não o compartilhe com ninguém."),
            ["sw"] = ("Nambari yako ya uthibitisho ya {organisation}", "{code} ni nambari yako ya uthibitisho ya {organisation}. Itaisha baada ya dakika {minutes}. Usimpe mtu yeyote."),
        },
        [TemplateNames.PasswordReset] = new()
        {
            ["en"] = ("Reset your {organisation} password", "{code} is your code to reset your {organisation} password. It expires in {minutes} minutes. If you did not ask for it, ignore this message."),
            ["fr"] = ("Réinitialisez votre mot de passe {organisation}", "{code} est votre code pour réinitialiser votre mot de passe {organisation}. Il expire dans {minutes} minutes. Si vous ne l'avez pas demandé, ignorez ce message."),
            ["es"] = ("Restablece tu contraseña de {organisation}", "{code} es tu código para restablecer tu contraseña de {organisation}. Caduca en {minutes} minutos. Si no lo pediste, ignora este mensaje."),
            ["pt"] = ("Redefina sua senha de {organisation}", "{code} é o seu código para redefinir sua senha de {organisation}. Ele expira em {minutes} minutos. Se você não pediu, ignore esta mensagem."),
            ["sw"] = ("Badilisha nenosiri lako la {organisation}", "{code} ni nambari yako ya kubadilisha nenosiri la {organisation}. Itaisha baada ya dakika {minutes}. Kama hukuiomba, puuza ujumbe huu."),
        },
        [TemplateNames.Invitation] = new()
        {
            ["en"] = ("{inviter} invited you to join {organisation}", "{inviter} invited you to join the {organisation} team. Accept before {expiresOn}: {link}"),
            ["fr"] = ("{inviter} vous invite à rejoindre {organisation}", "{inviter} vous invite à rejoindre l'équipe {organisation}. Acceptez avant le {expiresOn} : {link}"),
            ["es"] = ("{inviter} te invitó a unirte a {organisation}", "{inviter} te invitó a unirte al equipo de {organisation}. Acepta antes del {expiresOn}: {link}"),
            ["pt"] = ("{inviter} convidou você para {organisation}", "{inviter} convidou você para a equipe de {organisation}. Aceite antes de {expiresOn}: {link}"),
            ["sw"] = ("{inviter} amekualika ujiunge na {organisation}", "{inviter} amekualika ujiunge na timu ya {organisation}. Kubali kabla ya {expiresOn}: {link}"),
        },
        [TemplateNames.ApprovalRequest] = new()
        {
            ["en"] = ("{username} is waiting for approval", "{username} registered with {organisation} and is waiting for your approval. Open team management to give them a role."),
            ["fr"] = ("{username} attend votre approbation", "{username} s'est inscrit chez {organisation} et attend votre approbation. Ouvrez la gestion de l'équipe pour lui attribuer un rôle."),
            ["es"] = ("{username} espera tu aprobación", "{username} se registró en {organisation} y espera tu aprobación. Abre la gestión del equipo para asignarle un rol."),
            ["pt"] = ("{username} aguarda sua aprovação", "{username} se cadastrou em {organisation} e aguarda sua aprovação. Abra a gestão da equipe para atribuir uma função."),
            ["sw"] = ("{username} anasubiri idhini yako", "{username} amejisajili kwenye {organisation} na anasubiri idhini yako. Fungua usimamizi wa timu ili umpe jukumu."),
        },
        [TemplateNames.Approved] = new()
        {
            ["en"] = ("You're approved on {organisation}", "Hi {username}, an admin approved your access to {organisation}. You can log in now."),
            ["fr"] = ("Votre accès à {organisation} est approuvé", "Bonjour {username}, un administrateur a approuvé votre accès à {organisation}. Vous pouvez vous connecter dès maintenant."),
            ["es"] = ("Tu acceso a {organisation} fue aprobado", "Hola {username}, un administrador aprobó tu acceso a {organisation}. Ya puedes iniciar sesión."),
            ["pt"] = ("Seu acesso a {organisation} foi aprovado", "Olá {username}, um administrador aprovou seu acesso a {organisation}. Você já pode entrar."),
            ["sw"] = ("Umeidhinishwa kwenye {organisation}", "Habari {username}, msimamizi ameidhinisha ufikiaji wako wa {organisation}. Sasa unaweza kuingia."),
        },
        [TemplateNames.AccessExpired] = new()
        {
            ["en"] = ("Your temporary access to {organisation} ended", "Hi {username}, your temporary access to {organisation} has ended. Ask an admin if you still need it."),
            ["fr"] = ("Votre accès temporaire à {organisation} a pris fin", "Bonjour {username}, votre accès temporaire à {organisation} a pris fin. Demandez à un administrateur si vous en avez encore besoin."),
            ["es"] = ("Tu acceso temporal a {organisation} terminó", "Hola {username}, tu acceso temporal a {organisation} ha terminado. Pide a un administrador si aún lo necesitas."),
            ["pt"] = ("Seu acesso temporário a {organisation} terminou", "Olá {username}, seu acesso temporário a {organisation} terminou. Peça a um administrador se ainda precisar dele."),
            ["sw"] = ("Ufikiaji wako wa muda wa {organisation} umeisha", "Habari {username}, ufikiaji wako wa muda wa {organisation} umeisha. Muombe msimamizi kama bado unauhitaji."),
        },
        [TemplateNames.WebhookDisabled] = new()
        {
            ["en"] = ("A {organisation} webhook was turned off", "The {organisation} webhook to {host} failed for about a day and was turned off. Fix the receiver, turn it back on in TeamPlatform and replay what it missed."),
            ["fr"] = ("Un webhook de {organisation} a été désactivé", "Le webhook de {organisation} vers {host} échoue depuis environ un jour et a été désactivé. Réparez le récepteur, réactivez-le dans TeamPlatform et renvoyez ce qu'il a manqué."),
            ["es"] = ("Se desactivó un webhook de {organisation}", "El webhook de {organisation} hacia {host} falló durante casi un día y se desactivó. Arregla el receptor, vuelve a activarlo en TeamPlatform y reenvía lo que se perdió."),
            ["pt"] = ("Um webhook de {organisation} foi desativado", "O webhook de {organisation} para {host} falhou por cerca de um dia e foi desativado. Corrija o receptor, reative-o no TeamPlatform e reenvie o que ele perdeu."),
            ["sw"] = ("Webhook ya {organisation} imezimwa", "Webhook ya {organisation} kwenda {host} imeshindwa kwa takriban siku moja na imezimwa. Rekebisha kipokezi, iwashe tena kwenye TeamPlatform na utume tena ilichokosa."),
        },
    };

    public static IReadOnlyCollection<string> Languages => Texts[TemplateNames.Otp].Keys;

    /// <summary>
    /// The language a message goes out in: the organisation's (<c>fr-CA</c> is served by <c>fr</c>),
    /// English when TeamPlatform does not speak it.
    /// </summary>
    public static string LanguageFor(string template, string? requested)
    {
        var texts = Texts[template];
        var language = (requested ?? "").Trim().ToLowerInvariant();
        if (texts.ContainsKey(language))
        {
            return language;
        }

        var separator = language.IndexOfAny(['-', '_']);
        return separator > 0 && texts.ContainsKey(language[..separator]) ? language[..separator] : DefaultLanguage;
    }

    public static RenderedMessage Render(string template, string? language, IReadOnlyDictionary<string, string> variables)
    {
        if (!Texts.TryGetValue(template, out var texts))
        {
            throw new ArgumentException($"Unknown template '{template}'.", nameof(template));
        }

        var chosen = LanguageFor(template, language);
        var (subject, body) = texts[chosen];
        var redacted = variables.ToDictionary(v => v.Key, v => SecretVariables.Contains(v.Key) ? Hidden : v.Value);
        return new RenderedMessage(
            template,
            chosen,
            Fill(subject, redacted),
            Fill(body, variables),
            Fill(body, redacted),
            variables,
            variables.Where(v => !SecretVariables.Contains(v.Key)).ToDictionary());
    }

    /// <summary>Every <c>{name}</c> a template's text uses, so tests can prove each language uses the same ones.</summary>
    public static IReadOnlySet<string> VariablesOf(string template, string language) =>
        Placeholders(Texts[template][language].Body).ToHashSet();

    private static string Fill(string text, IReadOnlyDictionary<string, string> variables)
    {
        var result = new StringBuilder(text.Length + 64);
        var position = 0;
        while (position < text.Length)
        {
            var open = text.IndexOf('{', position);
            var close = open < 0 ? -1 : text.IndexOf('}', open);
            if (open < 0 || close < 0)
            {
                result.Append(text, position, text.Length - position);
                break;
            }

            result.Append(text, position, open - position);
            var name = text[(open + 1)..close];
            result.Append(variables.TryGetValue(name, out var value) ? value : "");
            position = close + 1;
        }

        return result.ToString();
    }

    private static IEnumerable<string> Placeholders(string text)
    {
        var position = 0;
        while ((position = text.IndexOf('{', position)) >= 0)
        {
            var close = text.IndexOf('}', position);
            yield return text[(position + 1)..close];
            position = close + 1;
        }
    }
}
