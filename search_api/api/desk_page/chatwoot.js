/*
 * The desk as a Chatwoot dashboard app: /desk/?embed=chatwoot in Chatwoot's side panel.
 *
 * Chatwoot posts the conversation to this frame as a JSON string,
 * {"event": "appContext", "data": {"conversation", "contact", "currentAgent"}}, when the
 * frame loads and whenever asked with "chatwoot-dashboard-app:fetch-info". Only messages
 * whose origin is CHATWOOT_URL's (from /api/integrations/chatwoot/desk) are read; any
 * other is dropped unread. The conversation's latest incoming message becomes the
 * question, the contact's first name the greeting and the inbox's channel type the
 * channel; the desk (desk.js) then searches as if the agent had pasted it. The
 * contact's name is not remembered in this browser: only what the agent types is.
 */

const FETCH_INFO = "chatwoot-dashboard-app:fetch-info";
const INCOMING = 0; // message_type in Chatwoot's dashboard store: 0 incoming, 1 outgoing, 2 activity

export function latestIncoming(conversation) {
  return latestIncomingMessage(conversation)?.content || "";
}

function latestIncomingMessage(conversation) {
  const messages = Array.isArray(conversation?.messages) ? conversation.messages : [];
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    const message = messages[i];
    const incoming = message?.message_type === INCOMING || message?.message_type === "incoming";
    if (incoming && !message.private && typeof message.content === "string" && message.content.trim()) {
      return message;
    }
  }
  return null;
}

export function firstName(contact) {
  const first = String(contact?.name || "").trim().split(/\s+/)[0] || "";
  return /^[\p{L}]+(?:['’-][\p{L}]+)*$/u.test(first) && first.length <= 40 ? first : "";
}

export function channelOf(conversation, channels) {
  const type = conversation?.meta?.channel || conversation?.channel || "";
  const kind = conversation?.additional_attributes?.type;
  if (type === "Channel::FacebookPage" && kind === "instagram_direct_message") return channels["Channel::Instagram"];
  const source = String(conversation?.contact_inbox?.source_id || "");
  if (type === "Channel::TwilioSms" && source.startsWith("whatsapp:")) return channels["Channel::Whatsapp"];
  return channels[type] || channels.default;
}

let lastApplied = ""; // the message last put in the box: asking again must not undo the agent's edits

function apply(data, channels) {
  const conversation = data?.conversation;
  const message = latestIncomingMessage(conversation);
  if (!message) return false;
  const key = `${conversation.id}:${message.id}:${message.content}`;
  if (key === lastApplied) return true; // the same message: leave what the agent did with it
  lastApplied = key;
  const query = message.content;
  const box = document.getElementById("q");
  const channel = document.getElementById("channel");
  const name = document.getElementById("name");
  channel.value = channelOf(conversation, channels);
  name.value = firstName(data?.contact || conversation?.meta?.sender);
  box.value = query;
  // desk.js searches on input; the channel and name are read from the fields then.
  box.dispatchEvent(new Event("input", { bubbles: true }));
  return true;
}

async function start() {
  const early = [];
  const collect = (event) => early.push(event);
  window.addEventListener("message", collect); // Chatwoot may post before the config arrives
  let config;
  try {
    const response = await fetch("/api/integrations/chatwoot/desk", { credentials: "omit" });
    if (!response.ok) throw new Error(String(response.status));
    config = await response.json();
  } catch (error) {
    window.removeEventListener("message", collect);
    document.body.dataset.embed = "off";
    return;
  }
  window.removeEventListener("message", collect);
  const onMessage = (event) => {
    if (event.origin !== config.origin || typeof event.data !== "string") return;
    let payload;
    try { payload = JSON.parse(event.data); } catch (error) { return; }
    if (payload?.event !== "appContext") return;
    if (apply(payload.data, config.channels)) document.body.dataset.embed = "chatwoot";
  };
  window.addEventListener("message", onMessage);
  document.body.dataset.embed = "listening";
  early.forEach(onMessage);
  // Ask again: the frame's load event may have come before this listener.
  if (window.parent !== window) window.parent.postMessage(FETCH_INFO, config.origin);
  // The agent may have switched conversation, or the creator written again: ask when they come back.
  const askAgain = () => { if (window.parent !== window) window.parent.postMessage(FETCH_INFO, config.origin); };
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") askAgain(); });
  window.addEventListener("focus", askAgain);
}

if (new URLSearchParams(window.location.search).get("embed") === "chatwoot") start();
