// What the page knows about the signed-in person and their list, shared by its parts.

export const state = {
  profile: null,
  tasks: [],
  nextCursor: null,
  editing: null,
  unread: 0,
  feed: null,
};

/** The zone the person chose in their profile: every date on the page is theirs. */
export const userZone = () => state.profile?.timeZone ?? "UTC";
