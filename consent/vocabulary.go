package consent

// DefaultKeywords returns the vocabulary a [Classifier] always knows, as new
// values: English, Spanish (for US dealers' Spanish-speaking customers) and
// French (for Canadian dealers). The opt-out words are the union of the
// FCC's per-se revocation words (47 CFR 64.1200(a)(10): stop, quit, end,
// revoke, opt out, cancel, unsubscribe), the CTIA and carrier keywords, and
// those of Twilio, AWS End User Messaging and Telnyx; SOURCES.md in this
// package says where each list comes from. The corpus in
// testdata/replies.tsv measures them.
func DefaultKeywords() []Keywords {
	return []Keywords{english(), spanish(), french()}
}

func english() Keywords {
	return Keywords{
		Language: "en",
		OptOut: []string{"STOP", "STOPALL", "STOP ALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE",
			"OPTOUT", "OPT OUT", "OPT-OUT", "REMOVE"},
		OptIn: []string{"START", "UNSTOP", "YES"},
		Help:  []string{"HELP", "INFO"},
		Revocation: []string{
			"stop texting", "stop messaging", "stop calling", "stop contacting", "stop emailing",
			"stop sending me", "stop sending texts", "stop sending messages", "stop sending these",
			"stop the texts", "stop these texts", "stop the messages", "stop these messages", "stop the calls",
			"stop txting", "stop txt", "stop with the texts", "stop all the texts", "stop all the messages",
			"quit texting", "quit messaging", "quit calling", "quit contacting", "quit sending",
			"no more texts", "no more text messages", "no more messages", "no more calls", "no more emails",
			"dont text", "do not text", "dont message me", "do not message", "dont call me", "do not call",
			"dont contact me", "do not contact", "dont email me", "do not email", "dont send me", "do not send me",
			"never text me", "never call me", "never contact me",
			"take me off your list", "take me off the list", "take me off this list", "take me off your mailing list",
			"take me off your contact list", "take me off your texting list", "take me off your calling list", "take me off your texts",
			"take my number off", "remove me from your list", "remove me from the list", "remove me from this list",
			"remove me from your mailing list", "remove me from your contact list", "remove me from your texting list",
			"remove me from your texts", "remove my number", "delete my number", "lose my number",
			"unsubscribe me from", "opt me out", "leave me alone", "wrong number", "wrong person",
			"i want to opt out", "i want to unsubscribe", "i dont want these texts", "i dont want these messages",
			"i dont want these calls", "i dont want your texts", "i dont want any more texts", "i dont want any more messages",
			"i dont want any more calls", "i do not want these texts", "stop bothering me", "stop harassing me",
			"put me on your do not call list",
		},
		Review: []string{
			"text me instead", "call me instead", "email me instead", "text instead", "call instead", "email instead", "only email", "email only", "text only", "calls only",
			"how do i unsubscribe", "how do i stop", "how do i opt out", "how to unsubscribe", "how can i unsubscribe",
			"can i unsubscribe", "prefer email", "prefer a call", "rather you email", "rather you call",
		},
		Polite: []string{"please", "pls", "plz", "thanks", "thank you", "thankyou", "thx", "ty"},
		Fillers: []string{"now", "right now", "ok", "okay", "k", "it", "all", "texts", "messages", "text messages", "me", "asap", "immediately", "already", "sir", "just", "no", "i",
			"re", "fw", "fwd"}, // an email subject: "RE: STOP"
		Negations: []string{"dont", "not", "never", "didnt", "doesnt", "wont", "cant", "shouldnt", "wouldnt", "isnt"},
		Questions: []string{"why", "did", "when did", "have you", "has it", "how come"},
		Contact: []string{"call", "calls", "calling", "ring", "text", "texts", "texting", "txt", "message", "messages",
			"messaging", "email", "emails", "emailing", "contact", "contacting", "phone", "reach", "send", "sending"},
		Qualifiers: []string{"before", "after", "until", "till", "between", "during", "about", "except", "unless",
			"at work", "at night", "at dinner", "in the morning", "in the evening", "mornings", "evenings", "noon",
			"weekend", "weekends", "weekdays", "on sunday", "on sundays", "on saturday", "on saturdays", "on weekends",
			"late", "early", "pm", "am", "oclock", "this early", "this late", "during work", "work hours", "my work"},
		Limiters:    []string{"only"},
		Restrictors: []string{"no"},
	}
}

func spanish() Keywords {
	return Keywords{
		Language: "es",
		OptOut: []string{"ALTO", "BAJA", "CANCELAR", "PARAR", "PARA", "DETENER", "BASTA", "NO MAS", "FIN",
			"DARME DE BAJA", "DAR DE BAJA", "DESUSCRIBIR", "DESUSCRIBIRME", "CANCELA", "CANCELEN"},
		Help: []string{"AYUDA"},
		Revocation: []string{
			"no me envies mas", "no me envien mas", "no me mandes mas", "no me manden mas",
			"no me escribas mas", "no me escriban mas", "no me llames mas", "no me llamen mas",
			"no me envies mensajes", "no me envien mensajes", "no me mandes mensajes", "no me manden mensajes",
			"no me contacten", "no me contactes", "no me vuelvan a llamar", "no me vuelvan a escribir",
			"no me vuelvas a escribir", "no me vuelvas a llamar", "no me molesten", "no me molestes",
			"no quiero recibir", "no quiero mas mensajes", "no quiero mensajes", "ya no quiero",
			"no quiero que me llamen", "no quiero que me escriban", "no quiero que me manden",
			"deja de enviarme", "dejen de enviarme", "deja de mandarme", "dejen de mandarme",
			"deja de llamarme", "dejen de llamarme", "deja de escribirme", "dejen de escribirme",
			"dejar de enviarme", "dejar de mandarme", "dejar de llamarme", "dejar de escribirme",
			"dejen de molestar", "deja de molestar", "dejenme en paz", "dejame en paz",
			"borrenme de", "borrame de", "sacame de", "saquenme de", "quitenme de", "quitame de",
			"eliminen mi numero", "borren mi numero", "numero equivocado", "no mas llamadas",
			"quiero darme de baja", "me quiero dar de baja", "cancelen mi suscripcion",
		},
		Review:  []string{"mejor por correo", "prefiero correo", "prefiero que me llamen", "como me doy de baja", "como me desuscribo"},
		Polite:  []string{"por favor", "porfa", "porfavor", "xfa", "gracias", "muchas gracias"},
		Fillers: []string{"ya", "ahora", "ahora mismo", "todo", "todos", "los mensajes", "mensajes", "de mensajes", "textos", "eso", "vale", "suscripcion"},
		// "no" starts a restriction ("no me llamen antes de las 10") as it
		// does in English; it is listed there.
		Questions:  []string{"por que", "porque"},
		Contact:    []string{"llamen", "llames", "llamar", "llamadas", "llamenme", "escriban", "escribas", "mensajes", "textos", "manden", "mandes", "envien", "envies", "correo", "contacten"},
		Qualifiers: []string{"antes", "despues", "hasta", "entre", "durante", "al trabajo", "en el trabajo", "de noche", "en la noche", "en la manana", "fines de semana", "domingo", "domingos", "sobre", "excepto", "temprano", "tarde", "mediodia"},
		Limiters:   []string{"solo", "solamente", "unicamente"},
	}
}

func french() Keywords {
	return Keywords{
		Language: "fr",
		OptOut: []string{"ARRET", "ARRÊT", "ARRETE", "ARRETER", "ARRETEZ", "TD", "DESABONNER", "DESABONNEMENT",
			"DESINSCRIRE", "DESINSCRIPTION", "ANNULER"},
		Help: []string{"AIDE"},
		Revocation: []string{
			"arretez de m'envoyer", "arrete de m'envoyer", "arretez de m'ecrire", "arrete de m'ecrire",
			"arretez de m'appeler", "arrete de m'appeler", "arretez de me texter", "arrete de me texter",
			"arretez les messages", "arretez les textos", "arretez les appels", "cessez de m'envoyer", "cessez de m'appeler",
			"ne m'envoyez plus", "ne m'ecrivez plus", "ne m'appelez plus", "ne me contactez plus", "ne me textez plus",
			"je ne veux plus recevoir", "je ne veux plus de messages", "je ne veux plus de textos", "je veux plus de messages",
			"plus de messages", "plus de textos", "plus d'appels",
			"retirez moi de", "enlevez moi de", "supprimez mon numero", "desabonnez moi", "desinscrivez moi",
			"mauvais numero", "laissez moi tranquille",
		},
		Review:      []string{"par courriel seulement", "ecrivez moi plutot", "appelez moi plutot", "comment me desabonner", "comment me desinscrire"},
		Polite:      []string{"merci", "svp", "stp", "s'il vous plaît", "s'il te plaît", "merci beaucoup"},
		Fillers:     []string{"maintenant", "tout", "tous", "les messages", "messages", "textos", "sms", "d'accord", "moi", "immediatement", "oui"},
		Negations:   []string{"pas", "jamais"},
		Questions:   []string{"pourquoi"},
		Restrictors: []string{"ne"},
		Contact:     []string{"appelez", "appeler", "m'appelez", "m'appeler", "appels", "d'appels", "textez", "texter", "m'ecrivez", "ecrivez", "courriel", "courriels", "textos", "m'envoyez"},
		Qualifiers:  []string{"avant", "apres", "entre", "pendant", "au travail", "le soir", "le matin", "la fin de semaine", "les fins de semaine", "le dimanche", "le samedi", "midi", "sauf", "au sujet", "concernant"},
		Limiters:    []string{"seulement", "uniquement"},
	}
}
