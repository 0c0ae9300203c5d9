/**
 * A socket's topics, kept small: most sockets hold one topic or none, and a
 * Set for each of ten thousand idle sockets costs more than the socket's
 * own fields. One topic is the string itself; a second makes a Set.
 */
export type TopicList = string | Set<string> | undefined;

export function hasTopic(list: TopicList, topic: string): boolean {
  return list === topic || (typeof list === 'object' && list.has(topic));
}

/** `list` with `topic` added (the caller checked it was not there). */
export function addTopic(list: TopicList, topic: string): TopicList {
  if (list === undefined) return topic;
  if (typeof list === 'string') return new Set([list, topic]);
  list.add(topic);
  return list;
}

/** `list` without `topic` (the caller checked it was there). */
export function removeTopic(list: TopicList, topic: string): TopicList {
  if (typeof list !== 'object') return undefined;
  list.delete(topic);
  return list.size === 0 ? undefined : list;
}

export function topicsOf(list: TopicList): string[] {
  if (list === undefined) return [];
  return typeof list === 'string' ? [list] : [...list];
}

export function checkTopic(topic: unknown): string {
  if (typeof topic !== 'string' || topic === '') throw new TypeError('topic must be a non-empty string');
  return topic;
}
