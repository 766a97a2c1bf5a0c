// Cold-start floor: the least a Lambda handler can be. What Node and the bundle format cost alone.
export const handler = async <E>(event: E): Promise<E> => event;
