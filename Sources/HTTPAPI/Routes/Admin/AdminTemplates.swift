import Mustache

/// The admin pages' HTML: plain forms and links, no JavaScript, readable on a laptop screen. Mustache escapes
/// every `{{value}}`, so nothing typed into a search box or carried in a message becomes markup.
enum AdminTemplates {
    static func render(_ text: String, _ model: [String: Any]) throws -> String {
        try MustacheTemplate(string: text).render(model)
    }

    static let head = """
    <!doctype html><html lang="en"><head><meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <style>body{font-family:sans-serif;margin:1.5em 2em;color:#222;max-width:1400px}
    table{border-collapse:collapse;margin-bottom:1em}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;\
    font-size:14px;vertical-align:top}th{background:#eee}pre{background:#f6f6f6;padding:1em;overflow:auto}
    nav{margin-bottom:1em}nav a{margin-right:1em}form.filters{display:flex;flex-wrap:wrap;gap:.5em;align-items:end;\
    margin-bottom:1em}form.filters label{display:flex;flex-direction:column;font-size:12px;color:#555}
    .up{color:#176b2c;font-weight:bold}.down{color:#a61b1b;font-weight:bold}.notice{background:#eef6ee;padding:.5em 1em}
    .problem{background:#fbeaea;padding:.5em 1em}.danger{background:#a61b1b;color:#fff;border:0;padding:.5em 1em}
    code{font-size:13px}</style>
    """

    static let nav = """
    <nav><a href="/">Overview</a><a href="/conversations">Conversations</a></nav>
    """

    static let home = head + """
    <title>integrasjonspunkt</title></head><body>\(nav)
    <h1>integrasjonspunkt</h1>
    <table>{{#overview}}<tr><th>{{name}}</th><td>{{value}}</td></tr>{{/overview}}
    <tr><th>Uptime</th><td>{{uptime}}</td></tr></table>
    <h2>Health: <span class="{{#healthUp}}up{{/healthUp}}{{^healthUp}}down{{/healthUp}}">{{health}}</span></h2>
    <table><tr><th>Component</th><th>Status</th><th>Details</th></tr>
    {{#components}}<tr><td>{{name}}</td><td>{{status}}</td><td>{{details}}</td></tr>{{/components}}</table>
    <h2>Endpoints</h2><ul>{{#links}}<li><a href="{{href}}">{{href}}</a></li>{{/links}}</ul>
    <h2>Effective configuration</h2><p>Secrets are masked.</p><pre>{{configuration}}</pre>
    </body></html>
    """

    static let conversations = head + """
    <title>Conversations – integrasjonspunkt</title></head><body>\(nav)
    <h1>Conversations</h1>
    {{#deleted}}<p class="notice">The conversation of message <code>{{deleted}}</code> was deleted.</p>{{/deleted}}
    {{#problems}}<p class="problem">{{.}}</p>{{/problems}}
    <form class="filters" method="get" action="/conversations">
    <label>Search<input type="search" name="q" value="{{q}}" size="40"
     placeholder="messageId, conversationId, party, title, reference"></label>
    <label>Direction<select name="direction"><option value="">both</option>
    {{#directions}}<option{{#selected}} selected{{/selected}}>{{value}}</option>{{/directions}}</select></label>
    <label>Channel<select name="service"><option value="">all</option>
    {{#services}}<option{{#selected}} selected{{/selected}}>{{value}}</option>{{/services}}</select></label>
    <label>Latest status<select name="status"><option value="">any</option>
    {{#statuses}}<option{{#selected}} selected{{/selected}}>{{value}}</option>{{/statuses}}</select></label>
    <label>Updated from<input type="date" name="from" value="{{from}}"></label>
    <label>to<input type="date" name="to" value="{{to}}"></label>
    <button type="submit">Search</button> <a href="/conversations">clear</a></form>
    <p>{{total}} conversation(s), newest first; page {{page}} of {{pages}}.</p>
    {{#any}}<table><tr><th>Last update</th><th>Direction</th><th>Channel</th><th>Status</th><th>Sender</th>
    <th>Receiver</th><th>Title</th><th>Reference</th><th>messageId</th></tr>
    {{#rows}}<tr><td>{{lastUpdate}}</td><td>{{direction}}</td><td>{{service}}</td><td>{{status}}</td><td>{{sender}}</td>
    <td>{{receiver}}</td><td>{{title}}</td><td>{{reference}}</td>
    <td><a href="/conversations/{{id}}"><code>{{messageId}}</code></a></td></tr>{{/rows}}</table>{{/any}}
    <p>{{#previous}}<a href="{{previous}}">← previous</a> {{/previous}}{{#next}}<a href="{{next}}">next →</a>{{/next}}</p>
    </body></html>
    """

    static let details = """
    <table><tr><th>messageId</th><td><code>{{messageId}}</code></td></tr>
    <tr><th>conversationId</th><td><code>{{conversationId}}</code></td></tr>
    <tr><th>Direction</th><td>{{direction}}</td></tr><tr><th>Channel</th><td>{{service}}</td></tr>
    <tr><th>Sender</th><td>{{sender}}</td></tr><tr><th>Receiver</th><td>{{receiver}}</td></tr>
    <tr><th>Title</th><td>{{title}}</td></tr><tr><th>Reference</th><td>{{reference}}</td></tr>
    <tr><th>Process</th><td>{{process}}</td></tr><tr><th>Document type</th><td>{{documentType}}</td></tr>
    <tr><th>Expires</th><td>{{expiry}}</td></tr><tr><th>Finished</th><td>{{finished}}</td></tr>
    <tr><th>Latest status</th><td>{{status}} ({{lastUpdate}})</td></tr></table>
    """

    static let conversation = head + """
    <title>{{messageId}} – integrasjonspunkt</title></head><body>\(nav)
    <h1>Conversation</h1>\(details)
    <h2>Status history</h2>
    <table><tr><th>Status</th><th>Time</th><th>Description</th></tr>
    {{#history}}<tr><td>{{status}}</td><td>{{time}}</td><td>{{description}}</td></tr>{{/history}}</table>
    <p><a href="/conversations/{{id}}/delete">Delete this conversation…</a></p>
    </body></html>
    """

    static let confirmDelete = head + """
    <title>Delete {{messageId}}? – integrasjonspunkt</title></head><body>\(nav)
    <h1>Delete this conversation?</h1>\(details)
    <p>This removes the conversation and its status history from this integration point. It does not recall a
    message that was sent, and the receiver is not told.</p>
    <form method="post" action="/conversations/{{id}}/delete"><input type="hidden" name="token" value="{{token}}">
    <button class="danger" type="submit">Delete</button> <a href="/conversations/{{id}}">Cancel</a></form>
    </body></html>
    """

    static let refused = head + """
    <title>Not deleted – integrasjonspunkt</title></head><body>\(nav)
    <h1>Nothing was deleted</h1>
    <p>The request did not come from this integration point's confirmation page, or the integration point was
    restarted since the page was opened. Open the conversation again and use its Delete link.</p>
    </body></html>
    """
}
