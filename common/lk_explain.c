/* lk_explain.c: the table of explanations (see lk_explain.h) and findings in people's terms. */
#include <stdio.h>
#include <string.h>

#include "lk_explain.h"
#include "lk_letter.h"

/* How to set margins in the programs letters come from: said once, used by several entries. */
#define MARGINS_HOW \
	"In Word: Layout > Margins > Custom Margins, left and right 15 mm or more,\n" \
	"top and bottom 5 mm or more; put the logo and the return address in the\n" \
	"header, inside those margins. In LibreOffice Writer: Format > Page Style >\n" \
	"Page, the same figures. From a case-management system: its letter template\n" \
	"or PDF export settings have page margins; set them the same, and turn off\n" \
	"\"fit to page\", \"full bleed\" and any background or border.\n"

#define ADDRESS_HOW \
	"The address is read from the address window on page 1 (x 24.6-120 mm,\n" \
	"y 39.5-66.3 mm from the top left, 3 mm around it included). In Word or\n" \
	"LibreOffice, put it in a text box or table cell there, one line of the\n" \
	"address per line, the postcode alone on the last line; in a case-management\n" \
	"system, correct the contact's address record and export again.\n" \
	"'letterkit check' prints the lines it read (\"address as read\"): those are\n" \
	"the lines Notify would print on the envelope.\n"

#define NOT_SENT_RERUN \
	"Nothing was sent for this letter. Fix the cause and run the same command\n" \
	"again: letters already sent are not sent twice (the ledger remembers them).\n"

static const struct lk_explanation table[] = {
	{"valid", "check", "the letter meets Notify's letter specification",
	 "Notify will accept this letter as it is: A4 portrait pages, at most 10 of\n"
	 "them, nothing printed outside the printable area, an address on page 1\n"
	 "that Notify can read and post to.\n"},
	/* check: Notify's validation codes, in the order Notify checks them */
	{"unable-to-read-the-file", "check", "the file cannot be opened as a PDF",
	 "Notify could not open the file as a PDF: it is damaged, cut short,\n"
	 "password-protected, or not a PDF at all (a Word document renamed .pdf).\n\n"
	 "Make the PDF again from the program that wrote it: in Word, File > Save As,\n"
	 "type PDF (not \"Print to PDF\" from a web browser); in LibreOffice,\n"
	 "File > Export as PDF; in a case-management system, export the letter again.\n"
	 "Remove any password or \"restrict editing\" setting before exporting.\n"},
	{"letter-too-long", "check", "the letter has more than 10 pages",
	 "Notify prints letters of at most 10 pages (5 sheets printed on both\n"
	 "sides). Shorten the letter, or send it as two letters.\n\n"
	 "Blank pages count: in Word and LibreOffice look for empty pages at the end\n"
	 "(a page break or empty paragraphs) and delete them; a case-management\n"
	 "system may add a blank back page when \"duplex\" or \"print on both sides\"\n"
	 "is set in its export: turn that off.\n"},
	{"file-too-big", "check", "the file is over 2 MiB",
	 "Notify refuses a PDF larger than 2 MiB (2,097,152 bytes). Images are\n"
	 "nearly always the cause: a scanned page or a large logo.\n\n"
	 "In Word: File > Save As > PDF, Options, choose \"Minimum size\", and\n"
	 "compress pictures first (select a picture, Picture Format > Compress\n"
	 "Pictures, 150 ppi). In LibreOffice: File > Export as PDF, JPEG compression,\n"
	 "quality 80%, reduce image resolution to 150 DPI. Scans: scan at 150-200 dpi\n"
	 "in black and white or greyscale rather than colour.\n"},
	{"letter-not-a4-portrait-oriented", "check", "a page is not A4 portrait (210 x 297 mm)",
	 "Every page of a letter must be A4 portrait: 210 mm wide and 297 mm high\n"
	 "(2 mm either way). US Letter, A3, A5 or a landscape page fails.\n\n"
	 "In Word: Layout > Size > A4, and Layout > Orientation > Portrait; check\n"
	 "every section, since each has its own page size. In LibreOffice Writer:\n"
	 "Format > Page Style > Page, Format A4, Portrait. A case-management system's\n"
	 "export usually has a paper size setting (often US Letter by default):\n"
	 "set it to A4. A scanned page must be scanned as A4.\n"},
	{"content-outside-printable-area", "check", "something is printed where Notify prints nothing",
	 "Notify's printer needs blank space: 15 mm on the left and right of every\n"
	 "page and 5 mm at the top and bottom, and on page 1 the top 95 mm is kept\n"
	 "for the address window, the logo area (top left, up to 125 mm across and\n"
	 "30 mm down) and the sender's details (the right-hand column, from 125 mm\n"
	 "across). Anything printed there, even white boxes, lines or a background\n"
	 "picture, fails the letter. 'letterkit check --overlay' draws the pages:\n"
	 "red is where nothing may go, blue is what is there.\n\n"
	 MARGINS_HOW
	 "On page 1, start the body of the letter at least 95 mm from the top.\n"
	 "A full-page scan or background image covers every margin: crop it, or\n"
	 "scale it to fit inside the margins.\n"},
	{"notify-tag-found-in-content", "check", "the word NOTIFY is in a later page's top-left corner",
	 "Notify marks the start of each letter by printing the word NOTIFY in the\n"
	 "top-left corner of page 1 (x 0-15.2 mm, y 0-6.1 mm). The word NOTIFY in\n"
	 "that corner of any other page would make the printer start a new letter\n"
	 "there. This happens when letters are joined into one PDF after Notify\n"
	 "made them: send each letter as its own PDF, or remove the text from that\n"
	 "corner.\n"},
	{"resource-limit-exceeded", "check", "checking the file took too much time or memory",
	 "letterkit gave up on this file because it needed more time or memory than\n"
	 "allowed (--max-seconds, --max-memory). Such a file is very likely to fail\n"
	 "at Notify too, or to take hours. It usually holds huge images or\n"
	 "thousands of tiny drawing operations (a chart or a scan converted to\n"
	 "vector shapes). Export it again with images compressed, or as a simpler\n"
	 "PDF (\"PDF/A\" or \"reduced size\" in the export options).\n"},
	{"damaged-file-repaired", "check", "the file is damaged; letterkit repaired it to read it",
	 "The file's internal index is broken, so letterkit had to rebuild it before\n"
	 "it could read the letter. Notify may not manage to, and refuse it. This\n"
	 "is a warning: the letter is judged on what was read. Make the PDF again\n"
	 "from the program that wrote it, and do not edit or join PDFs with tools\n"
	 "that rewrite them in place.\n"},
	/* the address rules (LETTER-SPEC section 5), from check and address */
	{"address-is-empty", "address", "no address was found in the address window",
	 "Notify found no text in the address window on page 1, so it cannot post\n"
	 "the letter. The address may be missing, placed elsewhere on the page,\n"
	 "or be a picture of text (a scan), which Notify cannot read.\n\n" ADDRESS_HOW},
	{"not-enough-address-lines", "address", "the address has fewer than 3 lines",
	 "Notify needs at least 3 lines of address: a name, a street or building,\n"
	 "and the postcode (or a country). Add the missing lines, each on its own\n"
	 "line rather than joined with commas.\n\n" ADDRESS_HOW},
	{"too-many-address-lines", "address", "the address has more than 7 lines",
	 "Notify prints at most 7 lines of address (a UK country at the end, such\n"
	 "as \"United Kingdom\", is not counted). Join or remove lines: a department\n"
	 "name can go in the letter's body instead.\n\n" ADDRESS_HOW},
	{"invalid-address-line-1-or-2", "address", "the first two address lines need a letter or a digit",
	 "Lines 1 and 2 of the address must each hold at least one letter or digit\n"
	 "(A-Z, 0-9): a line of only punctuation, such as \"-\" or \".\", fails.\n\n"
	 ADDRESS_HOW},
	{"has-country-for-bfpo-address", "address", "a BFPO address must not name a country",
	 "A British Forces (BFPO) address is posted through the UK, so it must not\n"
	 "end with a country outside the UK. Remove the country line; end with the\n"
	 "BFPO number and postcode.\n\n" ADDRESS_HOW},
	{"not-a-real-uk-postcode", "address", "the last line of the address must be a UK postcode",
	 "The last line of the address must be a real UK postcode (for example\n"
	 "SW1A 2AA), or a BFPO number. A postcode on the same line as the town, a\n"
	 "mistyped postcode (O for 0), or a line after the postcode, such as a phone\n"
	 "number, all fail (a last line \"United Kingdom\" is allowed).\n\n" ADDRESS_HOW},
	{"cant-send-international-letters", "address", "the address is abroad and international letters are off",
	 "The address ends with a country outside the UK, and this service may not\n"
	 "send letters abroad. If it may, check with --international (and turn on\n"
	 "international letters in Notify's settings); otherwise correct the\n"
	 "address.\n\n" ADDRESS_HOW},
	{"not-a-real-uk-postcode-or-country", "address", "the last line must be a UK postcode or a country",
	 "With international letters allowed, the last line of the address must be\n"
	 "a real UK postcode, a BFPO number, or the name of a country.\n\n" ADDRESS_HOW},
	{"invalid-char-in-address", "address", "an address line starts with a character Notify refuses",
	 "No line of the address may start with any of @ ( ) = [ ] \" \\ / , < > ~\n"
	 "(these come from mail-merge fields and pasted web addresses). Remove the\n"
	 "character, or the whole line if it is not part of the address.\n\n" ADDRESS_HOW},
	{"no-fixed-abode-address", "address", "the address says \"no fixed abode\"",
	 "Notify does not send letters addressed to no fixed abode (a line \"NFA\",\n"
	 "or the words \"no fixed abode\" or \"no fixed address\"). Find another way\n"
	 "to reach the person, or an address where they can collect post.\n"},
	{"not-valid-utf-8", "address", "the address text is not valid UTF-8",
	 "The address given to 'letterkit address' is not valid UTF-8 text. Save the\n"
	 "file as UTF-8 (in Excel: Save As, \"CSV UTF-8\"; in LibreOffice Calc:\n"
	 "Save As CSV, character set Unicode (UTF-8)).\n"},
	{"nul-byte-in-address", "address", "the address text holds a NUL byte",
	 "The address holds a NUL (zero) byte, which is never part of real text: the\n"
	 "file was saved as UTF-16 or is damaged. Save it again as UTF-8.\n"},
	{"out-of-memory", "address", "the computer ran out of memory",
	 "letterkit ran out of memory while checking. Close other programs, or\n"
	 "check fewer letters at a time, and run it again.\n"},
	{"no-address-string", "address", "the record has no \"address\" text",
	 "Each NDJSON record given to 'letterkit address' needs an \"address\" field\n"
	 "holding the address as one string, its lines separated by \\n.\n"},
	{"international-not-true-or-false", "address", "\"international\" must be true or false",
	 "A record's \"international\" field, when given, must be true or false\n"
	 "(JSON booleans, not the strings \"true\" or \"false\").\n"},
	{"not-a-json-record", "address", "the input line is not a JSON object",
	 "Each input line must be one JSON object, such as\n"
	 "{\"address\": \"A Person\\n1 Street\\nSW1A 2AA\"}. Check the line named in the\n"
	 "message: it may be cut short, or have a stray comma or quote.\n"},
	/* scan */
	{"virus-found", "scan", "a virus was found in the file",
	 "The virus scanner found a virus or other malware in the PDF (its name is\n"
	 "in the scan result). Notify would refuse it as virus-scan-failed. Do not\n"
	 "open it: tell whoever manages your computers, and ask the sender for a\n"
	 "clean copy made afresh from the original document.\n"},
	{"scan-error", "scan", "the file could not be scanned for viruses",
	 "The virus scanner could not scan this file: it could not be read, the\n"
	 "scanner had no signatures (run freshclam, or give --db), or the scanner\n"
	 "stopped. The message says which. Nothing is known about the file yet:\n"
	 "fix the cause and scan it again.\n"},
	{"failed-scan", "send", "not sent: the virus scan did not pass",
	 "send did not send this letter because its record says the virus scan\n"
	 "found something. See virus-found.\n"},
	/* send, and the names of Notify's API errors */
	{"sent", "send", "Notify accepted the letter",
	 "Notify accepted the letter; 'letterkit status' follows it until Notify\n"
	 "has received it for printing.\n"},
	{"already-sent", "send", "this letter was sent before and was not sent again",
	 "The ledger shows this letter (the same file and reference) was already\n"
	 "sent, so it was not sent twice. Nothing to do.\n"},
	{"failed-check", "send", "not sent: the letter failed its check",
	 "send did not send this letter because its record says 'letterkit check'\n"
	 "failed it. Fix what the check said (letterkit explain CODE for its code),\n"
	 "check it again and send it again.\n"},
	{"bad-record", "send", "the input line was not a letter's record",
	 "A line of input was not a JSON record with a \"file\" naming a PDF (or the\n"
	 "line was cut short). The message names the line. Fix the line, or the\n"
	 "program that wrote it, and run again.\n"},
	{"invalid-postage", "send", "the postage is not one Notify accepts",
	 "The postage must be first, second, economy, europe or rest-of-world\n"
	 "(europe and rest-of-world for addresses abroad). Correct the record's\n"
	 "\"postage\" or the --postage option.\n"},
	{"invalid-reference", "send", "the reference is empty or too long",
	 "Each letter needs a reference (by default the file's name) of at most\n"
	 "1000 characters that Notify accepts. Give a shorter --reference or\n"
	 "\"reference\" in the record.\n"},
	{"duplicate-reference", "send", "another letter in the ledger has this reference",
	 "A different letter was already sent with this reference. References\n"
	 "must tell letters apart: give each letter its own (by default the file's\n"
	 "name, so rename one of the files).\n\n" NOT_SENT_RERUN},
	{"content-changed", "send", "the file changed since it was sent",
	 "The ledger shows a letter was sent from this file with this reference,\n"
	 "but the file's content is different now. It was not sent again, to avoid\n"
	 "posting two versions. Give the new version a new reference (or file name).\n"},
	{"unreadable-file", "send", "the file could not be read",
	 "send could not read the PDF (missing, no permission, or a folder). The\n"
	 "message says why.\n\n" NOT_SENT_RERUN},
	{"ledger-failed", "send", "the ledger (the record of what was sent) could not be written",
	 "send keeps a ledger of every letter it sends, so that nothing is sent\n"
	 "twice. It could not read or write it (disk full, no permission, or the\n"
	 "file is locked or damaged). The message says which.\n\n" NOT_SENT_RERUN},
	{"lookup-failed", "send", "it is not known whether Notify got the letter",
	 "Notify's answer did not arrive, so send cannot tell whether the letter was\n"
	 "accepted. Run the batch again: the ledger and Notify's reference make sure\n"
	 "it is not sent twice.\n"},
	{"key-refused", "send", "Notify refused the API key",
	 "Notify answered that the API key is wrong, revoked or for another service\n"
	 "(an AuthError). Check --key-file (or NOTIFY_API_KEY): the whole key, from\n"
	 "Notify's API integration page, with no spaces or line breaks added.\n\n"
	 NOT_SENT_RERUN},
	{"refused-by-notify", "send", "Notify refused the letter",
	 "Notify's API answered that it will not take this letter (a 400 error).\n"
	 "Its message, shown with the letter, says why; the common reasons are a\n"
	 "PDF that fails the letter specification (letterkit check it), an address\n"
	 "abroad when international letters are off, or a bad postage.\n"},
	{"retries-exhausted", "send", "Notify kept failing; send gave up",
	 "Notify answered with an error (a 5xx, or too many requests) every time it\n"
	 "was tried. It may be busy or down: see Notify's status page, wait, and\n"
	 "run the batch again.\n\n" NOT_SENT_RERUN},
	{"request-failed", "send", "the request to Notify could not be made",
	 "send could not make the request (out of memory, or the network library\n"
	 "failed). The message says why.\n\n" NOT_SENT_RERUN},
	{"unreachable", "send", "Notify could not be reached",
	 "send could not connect to Notify: no network, a proxy or firewall in the\n"
	 "way, or a wrong --base-url. The batch stopped.\n\n" NOT_SENT_RERUN},
	{"tls-failed", "send", "the secure connection to Notify failed",
	 "The encrypted connection could not be set up: the computer's clock may be\n"
	 "wrong, or a proxy may be replacing certificates. Ask whoever manages the\n"
	 "network.\n\n" NOT_SENT_RERUN},
	{"batch-stopped", "send", "not sent: the batch stopped first",
	 "The batch stopped (Ctrl-C, a refused key, Notify unreachable) before this\n"
	 "letter's turn.\n\n" NOT_SENT_RERUN},
	{"refused", "send", "Notify refused the letter",
	 "Notify or send refused the letter as given; its record's \"reason\" and\n"
	 "\"message\" say why.\n"},
	{"error", "send", "the letter could not be sent",
	 "Something that is not the letter's fault stopped it being sent; its\n"
	 "record's \"message\" says what.\n\n" NOT_SENT_RERUN},
	{"unknown", "send", "it is not known whether the letter was sent",
	 "The ledger could not record what happened to this letter. Run the batch\n"
	 "again to find out; it will not be sent twice.\n"},
	{"BadRequestError", "send", "Notify said the request was wrong",
	 "Notify's API refused the request (400). Its message says which part: the\n"
	 "PDF, the reference, the postage or the address.\n"},
	{"ValidationError", "send", "Notify said a field was not valid",
	 "Notify's API found a field it does not accept (400): its message names the\n"
	 "field. Usually the postage or the reference.\n"},
	{"AuthError", "send", "Notify refused the API key",
	 "Notify could not authenticate the request (403): the API key is wrong or\n"
	 "revoked, or the computer's clock is more than 30 seconds out. See\n"
	 "key-refused.\n"},
	{"RateLimitError", "send", "too many requests for Notify's rate limit",
	 "Notify allows a service a number of requests a minute (429). send waits\n"
	 "and tries again; lower --rate-limit to stay under it.\n"},
	{"TooManyRequestsError", "send", "the daily limit of messages was reached",
	 "The service has sent as many messages today as Notify allows it (429).\n"
	 "Send the rest tomorrow, or ask Notify for a higher limit.\n"},
	{"PDFNotReadyError", "status", "Notify has not made the letter's PDF yet",
	 "Notify has not finished preparing the letter, so its PDF cannot be\n"
	 "fetched yet. 'letterkit pdf' waits for it up to --max-wait.\n"},
	/* status: Notify's letter statuses */
	{"accepted", "status", "Notify has accepted the letter and will print it",
	 "Notify has the letter and is sending it to the printer.\n"},
	{"created", "status", "Notify has the letter; it is being prepared",
	 "Notify has the letter and is preparing it.\n"},
	{"sending", "status", "the letter is on its way to the printer",
	 "Notify is passing the letter to its printing provider.\n"},
	{"delivered", "status", "the letter was delivered",
	 "The letter reached the recipient's address.\n"},
	{"pending", "status", "the letter is waiting to be processed",
	 "Notify has the letter and is waiting to process it.\n"},
	{"pending-virus-check", "status", "Notify is scanning the letter for viruses",
	 "Notify is checking the PDF for viruses; this takes a few minutes.\n"},
	{"received", "status", "the printer has the letter",
	 "Notify's printing provider has received the letter for printing and\n"
	 "posting.\n"},
	{"cancelled", "status", "the letter was cancelled",
	 "Someone cancelled the letter in Notify before it was printed.\n"},
	{"virus-scan-failed", "status", "Notify found a virus in the letter",
	 "Notify's virus scan found something in the PDF and did not print it.\n"
	 "See virus-found: scan letters with 'letterkit scan' before sending.\n"},
	{"validation-failed", "status", "Notify found the letter breaks the specification",
	 "Notify checked the PDF after it was sent and found it breaks the letter\n"
	 "specification, so it was not printed. 'letterkit check' the file: it\n"
	 "gives the same code as Notify, and 'letterkit explain CODE' the fix.\n"},
	{"technical-failure", "status", "Notify had a technical problem with the letter",
	 "Notify could not process the letter because of a problem of its own. Send\n"
	 "it again later; if it keeps happening, contact Notify's support.\n"},
	{"temporary-failure", "status", "a temporary problem delayed the letter",
	 "Notify's provider could not process the letter for now; Notify tries\n"
	 "again.\n"},
	{"permanent-failure", "status", "the letter could not be delivered",
	 "The printing provider could not deliver the letter (for example the\n"
	 "address does not exist). Check the address with the recipient.\n"},
	{"returned-letter", "status", "the letter came back undelivered",
	 "Royal Mail returned the letter to Notify's printer: the address may be\n"
	 "wrong or the person no longer lives there. Check the address with the\n"
	 "recipient before sending again.\n"},
	{"failed", "status", "the letter failed",
	 "One of the failed statuses: technical-failure, temporary-failure or\n"
	 "permanent-failure.\n"},
	{"not-polled", "status", "the letter was sent and its status not asked yet",
	 "The ledger shows the letter was sent, but 'letterkit status' has not asked\n"
	 "Notify about it yet. Run 'letterkit status'.\n"},
	/* run */
	{"check-error", "run", "the letter could not be checked",
	 "'letterkit check' could not check this letter (missing, unreadable, or\n"
	 "the check stopped); its message says why. It is not known whether Notify\n"
	 "would accept it.\n"},
	{"fix-error", "run", "letterkit fix could not work on the letter",
	 "'letterkit fix' (run --fix) could not look at this letter: it could not\n"
	 "be read, or fixing it ran out of memory; its message says why. The letter\n"
	 "stays as check found it, failing: fix the cause, or the letter by hand,\n"
	 "and run again.\n"},
	{"send-error", "run", "the letter could not be sent",
	 "send could not send this letter for a reason that is not the letter's\n"
	 "own (the network, the key, the ledger); its message says why.\n\n"
	 NOT_SENT_RERUN},
	{"not-sent", "run", "the letter was not sent",
	 "The letter passed its checks but send's record has no state. See its\n"
	 "message.\n"},
	/* compose */
	{"unknown-placeholder", "compose", "the template names a column the data does not have",
	 "The template has a ((placeholder)) with no column of that name in the\n"
	 "data. Correct the spelling in the template or add the column.\n"},
	{"missing-glyph", "compose", "the font has no character for some of the text",
	 "The text holds a character the chosen font cannot draw. Use a font that\n"
	 "has it (the settings file's font), or replace the character.\n"},
	{"address-does-not-fit", "compose", "the address does not fit in the address window",
	 "The address's lines are too long or too many for the address window\n"
	 "(95 x 27 mm). Shorten the lines.\n"},
	{"invalid-text", "compose", "the data holds text that is not valid",
	 "A field holds bytes that are not UTF-8 text, or control characters. Save\n"
	 "the data as UTF-8.\n"},
	{"pdf-error", "compose", "the PDF could not be made",
	 "The PDF library failed to write the letter; the message says why.\n"},
	{"same-file-name", "compose", "two rows would make the same file",
	 "Two rows give the same output file name (--name). Choose a column that\n"
	 "is different for every row.\n"},
};
#define N_TABLE (sizeof table / sizeof table[0])

const struct lk_explanation *lk_explain(const char *code)
{
	for (size_t i = 0; code && i < N_TABLE; i++)
		if (strcmp(table[i].code, code) == 0)
			return &table[i];
	return NULL;
}

const char *lk_explain_short(const char *code)
{
	const struct lk_explanation *e = lk_explain(code);
	return e ? e->short_text : NULL;
}

const struct lk_explanation *lk_explain_all(size_t *n)
{
	*n = N_TABLE;
	return table;
}

/* Paper sizes people know by name, portrait (w < h), in mm. */
static const struct {
	const char *name;
	double w, h;
} papers[] = {
	{"A4", 210, 297}, {"A3", 297, 420}, {"A5", 148, 210}, {"A6", 105, 148},
	{"US Letter", 215.9, 279.4}, {"US Legal", 215.9, 355.6}, {"B5", 176, 250},
};

static double distance(double a, double b)
{
	return a > b ? a - b : b - a;
}

static const char *paper_name(double w, double h, int *landscape)
{
	double lo = w < h ? w : h, hi = w < h ? h : w;
	*landscape = w > h;
	for (size_t i = 0; i < sizeof papers / sizeof papers[0]; i++)
		if (distance(lo, papers[i].w) <= LK_LETTER_SIZE_TOLERANCE_MM &&
		    distance(hi, papers[i].h) <= LK_LETTER_SIZE_TOLERANCE_MM)
			return papers[i].name;
	return NULL;
}

/* A size in mm to 0.1 mm, without a ".0" (297, 212.5). */
static const char *figure(double mm, char *buf, size_t size)
{
	snprintf(buf, size, "%.1f", mm);
	size_t n = strlen(buf);
	if (n > 2 && strcmp(buf + n - 2, ".0") == 0)
		buf[n - 2] = '\0';
	return buf;
}

/* Which of the blank areas a box reaches into, as words ("the left margin and the top margin"). */
static void margins_hit(int page, const double *b, char *buf, size_t size)
{
	const struct lk_letter_rect body = page == 1 ? lk_letter_body_first_page : lk_letter_body_later_pages;
	const double s = LK_LETTER_REGION_SLACK_MM;
	const char *parts[5];
	int n = 0;
	if (b[0] < body.x0 - s)
		parts[n++] = "the left margin";
	if (b[2] > body.x1 + s)
		parts[n++] = "the right margin";
	if (b[1] < lk_letter_body_later_pages.y0 - s)
		parts[n++] = "the top margin";
	if (b[3] > body.y1 + s)
		parts[n++] = "the bottom margin";
	/* Page 1's top 95 mm: inside the margins but outside the logo, sender and address areas. */
	if (page == 1 && b[1] < body.y0 - s && n == 0)
		parts[n++] = "the space around the address window at the top of page 1";
	size_t used = 0;
	buf[0] = '\0';
	for (int i = 0; i < n && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s", i == 0 ? "" : i == n - 1 ? " and " : ", ",
					 parts[i]);
	if (n == 0)
		snprintf(buf, size, "the blank space Notify keeps");
}

char *lk_explain_finding(const char *code, int page, const double *box, char *buf, size_t size)
{
	char where[32] = "";
	if (page > 0)
		snprintf(where, sizeof where, "page %d", page);
	if (code && box && strcmp(code, "letter-not-a4-portrait-oriented") == 0) {
		double w = box[2] - box[0], h = box[3] - box[1];
		int landscape;
		const char *name = paper_name(w, h, &landscape);
		char size_words[64];
		if (name && strcmp(name, "A4") == 0 && landscape)
			snprintf(size_words, sizeof size_words, "A4 landscape");
		else if (name)
			snprintf(size_words, sizeof size_words, "%s%s", name, landscape ? " landscape" : "");
		else if (distance(w, LK_LETTER_WIDTH_MM) < 10 && distance(h, LK_LETTER_HEIGHT_MM) < 10)
			snprintf(size_words, sizeof size_words, "a little off A4");
		else
			snprintf(size_words, sizeof size_words, "not a standard paper size");
		char ws[16], hs[16];
		snprintf(buf, size, "%s is %s (%s x %s mm): letters must be A4 portrait (210 x 297 mm, 2 mm either way)",
			 page > 0 ? where : "a page", size_words, figure(w, ws, sizeof ws), figure(h, hs, sizeof hs));
		return buf;
	}
	if (code && box && strcmp(code, "content-outside-printable-area") == 0) {
		const double e = 5.0;   /* within this of every edge: the whole page */
		double b[4];            /* as printed: a hair below 0 is 0.0, not -0.0 */
		for (int i = 0; i < 4; i++)
			b[i] = box[i] < 0 && box[i] > -0.05 ? 0.0 : box[i];
		if (box[0] <= e && box[1] <= e && box[2] >= LK_LETTER_WIDTH_MM - e &&
		    box[3] >= LK_LETTER_HEIGHT_MM - e) {
			snprintf(buf, size, "%s: a full-page image or background covers every margin "
				 "(x %.1f-%.1f mm, y %.1f-%.1f mm)", where, b[0], b[2], b[1], b[3]);
			return buf;
		}
		char hit[160];
		margins_hit(page, box, hit, sizeof hit);
		snprintf(buf, size, "%s: something is printed in %s (x %.1f-%.1f mm, y %.1f-%.1f mm)",
			 where, hit, b[0], b[2], b[1], b[3]);
		return buf;
	}
	if (code && strcmp(code, "notify-tag-found-in-content") == 0 && page > 0) {
		snprintf(buf, size, "%s has the word NOTIFY in its top-left corner: only page 1 may", where);
		return buf;
	}
	const char *s = lk_explain_short(code);
	if (page > 0)
		snprintf(buf, size, "%s: %s", where, s ? s : code ? code : "did not pass");
	else
		snprintf(buf, size, "%s", s ? s : code ? code : "did not pass");
	return buf;
}
